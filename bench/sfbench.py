#!/usr/bin/env python3
"""Synced Folder benchmark: the workloads of issue 3 (W1-W5 and JVM start-up) against our own server and
clients, on the same data as ../shared/bench-peers (rsync, Unison, Syncthing).

Normally started by bench/run.sh, which builds the jars, generates the data and runs `run` inside a private
network namespace (only `lo` up), so that the loopback byte counters count this run's traffic alone.

usage: sfbench.py gen  [--quick]
       sfbench.py run  [--quick] --server-jar P --client-jar P --out FILE.json
       sfbench.py report --ours FILE.json [--peers PEERS/results.json] --md OUT.md
env:   SF_BENCH_WORK   work dir (default /tmp/sf-bench): quick data, folders, server data, logs
       BENCH_DATA      full-size data (default /tmp/bench-data, shared with bench-peers)
       PEERS_DIR       ../shared/bench-peers (its generator is used for the full-size data when present)
       REPEATS         override every repeat count (W5: number of latency samples)
       SF_BENCH_NETNS  set by run.sh: 'net' / 'user+net' / 'none' (how `run` was isolated)
       CLIENT_JAVA_OPTS / SERVER_JAVA_OPTS  extra JVM options (space-separated) for the jars
Standard library only. Every process is started in its own process group and killed by that id when done;
every wait is bounded.
"""
import contextlib
import ctypes
import hashlib
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WORK = os.environ.get('SF_BENCH_WORK', '/tmp/sf-bench')
CACHE = os.path.join(WORK, 'cache')
FULL_DATA = os.environ.get('BENCH_DATA', '/tmp/bench-data')
PEERS_DIR = os.environ.get('PEERS_DIR', os.path.join(os.path.dirname(REPO), 'shared', 'bench-peers'))
NETNS = os.environ.get('SF_BENCH_NETNS', 'none')

# The generator below is bench-peers' gen_data (bench.py, GEN_VERSION 1), parametrised by scale. At full scale
# it writes exactly the same bytes (same seeds, same order, same mtimes); the quick scale is a prefix of it:
# the first 10 W1 dirs, the first 64 MiB of the big file (insert at its middle), the first 10 W4 top dirs.
GEN_VERSION = 1
FIXED_MTIME = 1700000000
SCALES = {
    'full': dict(w1_dirs=100, w1_per_dir=100, w1_size=4096, w2_size=1 << 30, w3_len=10,
                 w4_top=100, w4_sub=10, w4_per_dir=100, w4_size=1024),
    'quick': dict(w1_dirs=10, w1_per_dir=100, w1_size=4096, w2_size=64 << 20, w3_len=10,
                  w4_top=10, w4_sub=10, w4_per_dir=100, w4_size=1024),
}
# repeats per measurement (full, quick); W5 = latency samples
REPS = {'w1': (3, 1), 'w2': (3, 1), 'w4': (5, 1), 'startup': (5, 1), 'w5': (10, 3)}
W3_WIRE_TARGET = 2 << 20  # bytes

CHANGE_LINE = re.compile(r'\b(INFO|WARN)\b.*\b(uploaded|downloaded|deleted|conflict:)', re.I)


def log(*a):
    print(time.strftime('%H:%M:%S'), *a, file=sys.stderr, flush=True)


def human_count(n):
    return f'{n:,}'


def scale_desc(s):
    return {
        'w1': f"{human_count(s['w1_dirs'] * s['w1_per_dir'])} x {s['w1_size'] // 1024} KiB in {s['w1_dirs']} dirs",
        'w2': f"one {s['w2_size'] >> 20} MiB file" if s['w2_size'] < 1 << 30 else f"one {s['w2_size'] >> 30} GiB file",
        'w3': f"{s['w3_len']} B inserted in the middle of W2's file",
        'w4': f"{human_count(s['w4_top'] * s['w4_sub'] * s['w4_per_dir'])} x {s['w4_size'] // 1024} KiB",
    }


def data_dir(quick):
    return os.path.join(WORK, 'data-quick') if quick else FULL_DATA


# ---------------------------------------------------------------- data

def write_files(folder, count, size, name, r, h):
    """Writes count files of size random bytes from r into folder (named by name(i)), with fixed mtimes."""
    os.makedirs(folder)
    for i in range(count):
        b = r.randbytes(size)
        h.update(b)
        p = f'{folder}/{name(i)}'
        with open(p, 'wb') as f:
            f.write(b)
        os.utime(p, (FIXED_MTIME, FIXED_MTIME))


def gen_data(quick):
    data = data_dir(quick)
    marker = os.path.join(data, f'.complete-v{GEN_VERSION}')
    if os.path.exists(marker):
        log('data present in', data)
        return data
    peers_py = os.path.join(PEERS_DIR, 'bench.py')
    if not quick and os.path.isfile(peers_py):
        # exact reuse of bench-peers' generator for the full-size data (its progress lines go to stderr)
        log('generating full-size data in', data, 'with', peers_py, '(one-off, a few minutes)')
        sys.dont_write_bytecode = True
        sys.path.insert(0, PEERS_DIR)
        import bench as peers  # noqa: E402
        peers.DATA = data
        with contextlib.redirect_stdout(sys.stderr):
            peers.gen_data()
        if not os.path.exists(os.path.join(data, f'.complete-v{peers.GEN_VERSION}')):
            raise SystemExit(f'bench-peers did not generate {data}')
        if peers.GEN_VERSION != GEN_VERSION:
            raise SystemExit(f'bench-peers data is GEN_VERSION {peers.GEN_VERSION}, this script knows '
                             f'{GEN_VERSION}: update sfbench.py')
        return data
    s = SCALES['quick' if quick else 'full']
    log('generating', 'quick' if quick else 'full-size', 'data in', data,
        '(one-off, deterministic: python random.Random seeds 1001..1004, as bench-peers)')
    shutil.rmtree(data, ignore_errors=True)
    manifest = {}
    r = random.Random(1001)
    h = hashlib.sha256()
    for d in range(s['w1_dirs']):
        write_files(f'{data}/w1/d{d:02d}', s['w1_per_dir'], s['w1_size'], lambda i: f'f{i:03d}.bin', r, h)
    manifest['w1'] = h.hexdigest()
    r = random.Random(1002)
    os.makedirs(f'{data}/w2')
    os.makedirs(f'{data}/w3')
    h2, h3 = hashlib.sha256(), hashlib.sha256()
    ins = random.Random(1003).randbytes(s['w3_len'])
    offset = s['w2_size'] // 2
    with open(f'{data}/w2/big.bin', 'wb') as f2, open(f'{data}/w3/big.bin', 'wb') as f3:
        chunk = 1 << 20
        for off in range(0, s['w2_size'], chunk):
            b = r.randbytes(chunk)
            f2.write(b)
            h2.update(b)
            if off == offset:
                f3.write(ins)
                h3.update(ins)
            f3.write(b)
            h3.update(b)
    os.utime(f'{data}/w2/big.bin', (FIXED_MTIME, FIXED_MTIME))
    os.utime(f'{data}/w3/big.bin', (FIXED_MTIME + 100, FIXED_MTIME + 100))
    manifest['w2'] = h2.hexdigest()
    manifest['w3'] = h3.hexdigest()
    r = random.Random(1004)
    h = hashlib.sha256()
    for t in range(s['w4_top']):
        for sub in range(s['w4_sub']):
            write_files(f'{data}/w4/t{t:02d}/s{sub}', s['w4_per_dir'], s['w4_size'], lambda i: f'f{i:02d}.bin', r, h)
    manifest['w4'] = h.hexdigest()
    with open(f'{data}/manifest.json', 'w') as f:
        json.dump(manifest, f, indent=1)
    os.sync()
    open(marker, 'w').close()
    log('data generated', manifest)
    return data


# ---------------------------------------------------------------- process control

_libc = ctypes.CDLL(None, use_errno=True)
_GROUPS = []  # Popen objects whose process groups we own
_LOCK = threading.Lock()


def _child_setup():
    os.setsid()
    _libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG: die with this script


def spawn(cmd, logpath, env=None, out_path=None):
    """Starts cmd in its own process group, stderr (and stdout unless out_path is given) appended to logpath."""
    with contextlib.ExitStack() as files:
        err = files.enter_context(open(logpath, 'ab'))
        out = files.enter_context(open(out_path, 'wb')) if out_path else err
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             env=env, preexec_fn=_child_setup)
    with _LOCK:
        _GROUPS.append(p)
    return p


def kill_group(p, grace=20):
    if p is None:
        return
    if p.poll() is None:
        try:
            os.killpg(p.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            p.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    try:  # whatever is left in the group (e.g. a child of /usr/bin/time)
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    with _LOCK:
        if p in _GROUPS:
            _GROUPS.remove(p)


def kill_all():
    with _LOCK:
        ps = list(reversed(_GROUPS))
    for p in ps:
        try:
            kill_group(p, grace=10)
        except Exception as e:  # noqa
            log('cleanup error', e)


def _on_signal(signum, frame):
    raise SystemExit(f'stopped by signal {signum}')


class Timed:
    def __init__(self, wall, rc, maxrss_kb, user, sys_, tree_pss_kb):
        self.wall, self.rc, self.maxrss_kb, self.user, self.sys = wall, rc, maxrss_kb, user, sys_
        self.tree_pss_kb = tree_pss_kb

    @property
    def cpu(self):
        return self.user + self.sys

    @property
    def rss_mib(self):
        return self.maxrss_kb / 1024

    @property
    def tree_pss_mib(self):
        return self.tree_pss_kb / 1024


def descendants(root):
    """The pids below root (children, their children, ...), read from /proc."""
    kids = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open(f'/proc/{d}/stat') as f:
                    ppid = int(f.read().rsplit(')', 1)[1].split()[1])
                kids.setdefault(ppid, []).append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    out, todo = [], list(kids.get(root, []))
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids.get(pid, [])
    return out


def pss_kb(pid):
    try:
        with open(f'/proc/{pid}/smaps_rollup') as f:
            for line in f:
                if line.startswith('Pss:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Peak of the summed PSS of every process below a pid, sampled every 50 ms.

    `/usr/bin/time` reports the largest single process; a `--once` pass is two JVMs (the launcher waits for the
    pass it starts), so this is what the pass costs the machine. PSS, not RSS: the two map the same JDK files."""

    def __init__(self, root):
        super().__init__(daemon=True)
        self.root, self.peak_kb, self.done = root, 0, threading.Event()

    def run(self):
        while not self.done.wait(0.05):
            self.peak_kb = max(self.peak_kb, sum(pss_kb(pid) for pid in descendants(self.root)))

    def finish(self):
        self.done.set()
        self.join(timeout=5)
        return self.peak_kb


def run_timed(cmd, logpath, timeout, env=None):
    """Run cmd under `/usr/bin/time -v` in its own process group, output to logpath; bounded by timeout."""
    tf = tempfile.NamedTemporaryFile(prefix='sfbench-time-', delete=False)
    tf.close()
    t0 = time.perf_counter()
    p = spawn(['/usr/bin/time', '-v', '-o', tf.name, *cmd], logpath, env=env)
    memory = TreeMemory(p.pid)
    memory.start()
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(p, grace=5)
        raise RuntimeError(f'timed out after {timeout}s: {" ".join(cmd)} (log: {logpath})')
    finally:
        tree_pss = memory.finish()
    wall = time.perf_counter() - t0
    kill_group(p, grace=1)  # reaps; nothing should be left
    txt = open(tf.name).read()
    os.unlink(tf.name)

    def num(label):
        m = re.search(rf'{re.escape(label)}:\s*([\d.]+)', txt)
        return float(m.group(1)) if m else 0.0
    return Timed(wall, p.returncode, int(num('Maximum resident set size (kbytes)')),
                 num('User time (seconds)'), num('System time (seconds)'), tree_pss)


def tail(path, n=30):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-n:])
    except OSError:
        return ''


def java_env():
    # The benchmark reuses its folder paths with fresh copies of the data: a client that remembered them as synced
    # before would rightly refuse them (README, "Safety nets"), so each process remembers folders in a new place.
    os.makedirs(WORK, exist_ok=True)
    state_home = tempfile.mkdtemp(prefix='xdg-state-', dir=WORK)
    # The client's class-data archive goes to a cache of the benchmark's own, which `run` starts empty.
    env = dict(os.environ, LC_ALL='C.UTF-8', XDG_STATE_HOME=state_home, XDG_CACHE_HOME=CACHE)
    env.pop('JAVA_TOOL_OPTIONS', None)
    return env


def client_archives():
    folder = os.path.join(CACHE, 'synced-folder')
    return [n for n in os.listdir(folder) if n.endswith('.jsa')] if os.path.isdir(folder) else []


class Server:
    def __init__(self, jar, datadir, logpath, token):
        self.datadir = datadir
        os.makedirs(datadir, exist_ok=True)
        opts = os.environ.get('SERVER_JAVA_OPTS', '').split()
        self.proc = spawn(['java', *opts, '-jar', jar, '--port', '0', '--bind', '127.0.0.1', '--data', datadir,
                           '--token', token], logpath, env=java_env())
        deadline = time.time() + 60
        while True:
            m = re.search(r'listening on (http://127\.0\.0\.1:\d+)', tail(logpath, 200))
            if m:
                self.url = m.group(1)
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f'server exited with {self.proc.returncode}:\n{tail(logpath)}')
            if time.time() > deadline:
                raise RuntimeError(f'server did not print "listening on" within 60 s:\n{tail(logpath)}')
            time.sleep(0.05)

    def reset_hwm(self):
        try:
            with open(f'/proc/{self.proc.pid}/clear_refs', 'w') as f:
                f.write('5')
        except OSError:
            pass

    def hwm_mib(self):
        try:
            with open(f'/proc/{self.proc.pid}/status') as f:
                for line in f:
                    if line.startswith('VmHWM:'):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def cpu_s(self):
        try:
            with open(f'/proc/{self.proc.pid}/stat') as f:
                s = f.read()
            fields = s[s.rindex(')') + 2:].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
        except (OSError, ValueError):
            return 0.0

    def stop(self):
        kill_group(self.proc)


def lo_bytes():
    """tx bytes of lo (== rx bytes): every loopback byte incl. TCP/IP headers, both directions, counted once.

    Read from /proc/self/net/dev, which shows this process's network namespace. /sys/class/net/lo/statistics
    would not do: sysfs shows the namespace of whoever mounted it, i.e. the host's lo, inside `unshare --net`."""
    with open('/proc/self/net/dev') as f:
        for line in f:
            if line.strip().startswith('lo:'):
                return int(line.split(':', 1)[1].split()[8])
    raise RuntimeError('no lo in /proc/self/net/dev')


def sh(cmd, timeout=900):
    subprocess.run(cmd, check=True, timeout=timeout, stdout=subprocess.DEVNULL)


def settle(read=(), stat=()):
    """As bench-peers between repeats: flush dirty data, warm the next step's inputs, pause 1 s."""
    os.sync()
    for p in read:
        sh(['sh', '-c', 'find "$1" -type f -exec cat {} + > /dev/null', '_', p])
    for p in stat:
        sh(['sh', '-c', 'find "$1" -printf "%s %T@\\n" > /dev/null', '_', p])
    time.sleep(1.0)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)


def copy_tree(src, dst):
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    sh(['cp', '-a', src, dst], timeout=1800)


# ---------------------------------------------------------------- verification

def listing(root):
    """{relative path: ('d',) or ('f', size, sha256)} of everything under root except the client's .sync/."""
    out = {}
    stack = ['']
    while stack:
        rel = stack.pop()
        with os.scandir(os.path.join(root, rel)) as it:
            for e in it:
                r = f'{rel}/{e.name}' if rel else e.name
                if r == '.sync':
                    continue
                if e.is_symlink():
                    out[r] = ('l',)
                elif e.is_dir():
                    out[r] = ('d',)
                    stack.append(r)
                else:
                    h = hashlib.sha256()
                    with open(e.path, 'rb') as f:
                        while True:
                            b = f.read(1 << 20)
                            if not b:
                                break
                            h.update(b)
                    out[r] = ('f', e.stat().st_size, h.hexdigest())
    return out


_LISTINGS = {}


def expected_listing(path):
    if path not in _LISTINGS:
        _LISTINGS[path] = listing(path)
    return _LISTINGS[path]


def verify(expected_root, actual, what):
    exp = expected_listing(expected_root)
    got = listing(actual)
    if exp == got:
        return
    diffs = []
    for k in sorted(set(exp) | set(got)):
        if exp.get(k) != got.get(k):
            diffs.append(f'  {k}: expected {exp.get(k, "nothing")}, found {got.get(k, "nothing")}')
    raise RuntimeError(f'VERIFICATION FAILED ({what}): {actual} does not match {expected_root} '
                       f'({len(diffs)} differences):\n' + '\n'.join(diffs[:20]))


# ---------------------------------------------------------------- the run

class Bench:
    def __init__(self, args):
        self.quick = args.quick
        self.scale = SCALES['quick' if self.quick else 'full']
        self.data = data_dir(self.quick)
        self.server_jar = os.path.abspath(args.server_jar)
        self.client_jar = os.path.abspath(args.client_jar)
        self.out = args.out
        self.run_dir = os.path.join(WORK, 'run')
        self.logs = os.path.join(WORK, 'logs')
        self.token = 'bench-' + secrets.token_hex(16)
        self.pass_timeout = 600 if self.quick else 3600
        self.client_opts = os.environ.get('CLIENT_JAVA_OPTS', '').split()
        self.results = {'meta': {}, 'rows': {}}
        self.stale = args.stale
        self.only = args.only.split(',') if args.only else ['startup', 'w1', 'w2', 'w4', 'w5']
        self.warmed = False

    def reps(self, key):
        if os.environ.get('REPEATS'):
            return max(1, int(os.environ['REPEATS']))
        return REPS[key][1 if self.quick else 0]

    def save(self):
        tmp = self.out + '.tmp'
        with open(tmp, 'w') as f:
            json.dump(self.results, f, indent=1)
        os.replace(tmp, self.out)

    def client_pass(self, folder, device, logname):
        logpath = os.path.join(self.logs, logname + '.log')
        r = run_timed(['java', *self.client_opts, '-jar', self.client_jar, '--server', self.server.url,
                       '--token', self.token, '--folder', folder, '--device', device, '--once'],
                      logpath, self.pass_timeout, env=java_env())
        if r.rc != 0:
            raise RuntimeError(f'client pass {logname} exited {r.rc}:\n{tail(logpath)}')
        log(f'  {logname}: {r.wall:.2f} s, {r.rss_mib:.0f} MiB peak RSS, {r.cpu:.2f} CPU-s')
        return r

    def start_server(self, name):
        d = os.path.join(self.run_dir, name + '-server')
        shutil.rmtree(d, ignore_errors=True)
        self.server = Server(self.server_jar, d, os.path.join(self.logs, name + '-server.log'), self.token)
        return self.server

    def stop_server(self):
        if getattr(self, 'server', None):
            self.server.stop()
            shutil.rmtree(self.server.datadir, ignore_errors=True)
            self.server = None

    def record(self, key, name, samples, **extra):
        row = {'name': name, 'samples': samples, 'n': len(samples)}
        if samples:
            row.update(median=statistics.median(samples), min=min(samples), max=max(samples))
        for k, v in extra.items():
            if isinstance(v, list) and v and all(isinstance(x, (int, float)) for x in v):
                row[k] = {'median': statistics.median(v), 'min': min(v), 'max': max(v), 'samples': v}
            else:
                row[k] = v
        self.results['rows'][key] = row
        self.save()
        med = row.get('median')
        log(f'RESULT {key}: median {med:.3f} s over {len(samples)} run(s)' if med is not None else f'RESULT {key}')

    # -- measurements

    def startup(self):
        n = self.reps('startup')
        log(f'JVM start-up: java -jar sync-client.jar --version, {n} run(s)')
        t, rss = [], []
        for i in range(n):
            time.sleep(0.5)
            r = run_timed(['java', *self.client_opts, '-jar', self.client_jar, '--version'],
                          os.path.join(self.logs, f'startup-{i + 1}.log'), 120, env=java_env())
            if r.rc != 0:
                raise RuntimeError(f'--version exited {r.rc}')
            t.append(r.wall)
            rss.append(r.rss_mib)
        self.record('startup', 'JVM start-up: `java -jar sync-client.jar --version`', t, client_rss_mib=rss)
        self.pass_startup(n)

    def one_file_folder(self, name):
        """A folder holding one 1 KiB file, synced once to a fresh server (left running)."""
        folder = os.path.join(self.run_dir, name)
        fresh_dir(folder)
        with open(os.path.join(folder, 'one.txt'), 'wb') as f:
            f.write(random.Random(name).randbytes(1024))
        self.start_server(name)
        self.client_pass(folder, 'bench-a', name + '-first-sync')
        return folder

    def pass_startup(self, n):
        """A `--once` pass with nothing to do is mostly start-up; the first after an install writes the class-data
        archive that later passes start from."""
        log(f'pass start-up: no-change --once passes over one file, the first after install and a later one, '
            f'{n} run(s)')
        folder = self.one_file_folder('pass-startup')
        first, later, first_rss, later_rss = [], [], [], []
        for i in range(n):
            shutil.rmtree(CACHE, ignore_errors=True)
            time.sleep(0.5)
            a = self.client_pass(folder, 'bench-a', f'pass-startup-r{i + 1}-first')
            time.sleep(0.5)
            b = self.client_pass(folder, 'bench-a', f'pass-startup-r{i + 1}-later')
            first.append(a.wall); later.append(b.wall); first_rss.append(a.rss_mib); later_rss.append(b.rss_mib)
        self.stop_server()
        shutil.rmtree(folder, ignore_errors=True)
        self.record('pass-startup', 'pass start-up: a `--once` pass over one unchanged file (a later pass)', later,
                    first_pass_s=first, client_rss_mib=later_rss, first_pass_rss_mib=first_rss)

    def warm_cache(self):
        """Without the start-up step, one untimed pass writes the archive, so that no timed run pays for it."""
        if self.warmed:
            return
        self.warmed = True
        if not client_archives():
            log('one untimed pass writes the client\'s class-data archive')
            shutil.rmtree(self.one_file_folder('warm-up'), ignore_errors=True)
            self.stop_server()
            if not client_archives():
                log(f'warning: no class-data archive in {CACHE}: every pass will start without one')

    def w1(self):
        n = self.reps('w1')
        src = os.path.join(self.data, 'w1')
        log(f'W1 initial sync {scale_desc(self.scale)["w1"]}, A -> B, {n} run(s)')
        walls, a_s, b_s, wire, rss, tree, cpu, srss = [], [], [], [], [], [], [], []
        for i in range(n):
            a, b = os.path.join(self.run_dir, 'w1', 'A'), os.path.join(self.run_dir, 'w1', 'B')
            copy_tree(src, a)
            fresh_dir(b)
            srv = self.start_server(f'w1-r{i + 1}')
            settle(read=[a])
            srv.reset_hwm()
            lo0, t0 = lo_bytes(), time.perf_counter()
            ra = self.client_pass(a, 'bench-a', f'w1-r{i + 1}-A')
            rb = self.client_pass(b, 'bench-b', f'w1-r{i + 1}-B')
            wall, lo = time.perf_counter() - t0, lo_bytes() - lo0
            srss.append(srv.hwm_mib())
            self.stop_server()
            verify(src, a, 'W1 A')
            verify(src, b, 'W1 B')
            walls.append(wall); a_s.append(ra.wall); b_s.append(rb.wall); wire.append(lo)
            rss.append(max(ra.rss_mib, rb.rss_mib)); cpu.append(ra.cpu + rb.cpu)
            tree.append(max(ra.tree_pss_mib, rb.tree_pss_mib))
            shutil.rmtree(os.path.join(self.run_dir, 'w1'), ignore_errors=True)
        self.record('W1', f'W1 initial sync {scale_desc(self.scale)["w1"]}: A pass + B pass', walls,
                    a_pass_s=a_s, b_pass_s=b_s, lo_bytes=wire, client_rss_mib=rss, client_tree_pss_mib=tree,
                    client_cpu_s=cpu, server_rss_mib=srss)

    def w2_w3(self):
        """Per repeat: fresh server and folders; W2 (initial sync of the big file), then W3 on that state."""
        n = self.reps('w2')
        src2, src3 = os.path.join(self.data, 'w2'), os.path.join(self.data, 'w3')
        d = scale_desc(self.scale)
        log(f'W2 initial sync of {d["w2"]} + W3 {d["w3"]}, {n} run(s)')
        rows = {k: {'wall': [], 'a': [], 'b': [], 'lo': [], 'rss': [], 'tree': [], 'cpu': [], 'srss': []} for k in ('W2', 'W3')}
        for i in range(n):
            base = os.path.join(self.run_dir, 'w2')
            a, b = os.path.join(base, 'A'), os.path.join(base, 'B')
            copy_tree(src2, a)
            fresh_dir(b)
            srv = self.start_server(f'w2-r{i + 1}')
            for wl in ('W2', 'W3'):
                if wl == 'W3':
                    stage = os.path.join(base, 'stage.bin')
                    shutil.copyfile(os.path.join(src3, 'big.bin'), stage)  # a fresh file, new mtime
                    os.replace(stage, os.path.join(a, 'big.bin'))
                    settle(read=[a, b])
                else:
                    settle(read=[a])
                srv.reset_hwm()
                lo0, t0 = lo_bytes(), time.perf_counter()
                ra = self.client_pass(a, 'bench-a', f'{wl.lower()}-r{i + 1}-A')
                rb = self.client_pass(b, 'bench-b', f'{wl.lower()}-r{i + 1}-B')
                wall, lo = time.perf_counter() - t0, lo_bytes() - lo0
                r = rows[wl]
                r['srss'].append(srv.hwm_mib())
                exp = src2 if wl == 'W2' else src3
                verify(exp, a, f'{wl} A')
                verify(exp, b, f'{wl} B')
                r['wall'].append(wall); r['a'].append(ra.wall); r['b'].append(rb.wall); r['lo'].append(lo)
                r['rss'].append(max(ra.rss_mib, rb.rss_mib)); r['cpu'].append(ra.cpu + rb.cpu)
                r['tree'].append(max(ra.tree_pss_mib, rb.tree_pss_mib))
                log(f'  {wl}: {wall:.2f} s, {f3(lo / 1e6)} MB on the wire')
            self.stop_server()
            shutil.rmtree(base, ignore_errors=True)
        for wl, name in (('W2', f'W2 initial sync of {d["w2"]}: A pass + B pass'),
                         ('W3', f'W3 {d["w3"]} on A: A pass + B pass')):
            r = rows[wl]
            self.record(wl, name, r['wall'], a_pass_s=r['a'], b_pass_s=r['b'], lo_bytes=r['lo'],
                        client_rss_mib=r['rss'], client_tree_pss_mib=r['tree'], client_cpu_s=r['cpu'],
                        server_rss_mib=r['srss'])

    def w4(self):
        n = self.reps('w4')
        src = os.path.join(self.data, 'w4')
        desc = scale_desc(self.scale)['w4']
        log(f'W4 no-change pass over {desc}: set-up (copy + first upload), then {n} run(s)')
        a = os.path.join(self.run_dir, 'w4', 'A')
        copy_tree(src, a)
        srv = self.start_server('w4')
        settle(read=[a])
        setup = self.client_pass(a, 'bench-a', 'w4-setup-A')
        verify(src, a, 'W4 A after set-up')
        walls, wire, rss, tree, cpu, srss, scpu = [], [], [], [], [], [], []
        for i in range(n):
            settle(stat=[a])
            srv.reset_hwm()
            c0 = srv.cpu_s()
            logname = f'w4-r{i + 1}-A'
            lo0 = lo_bytes()
            r = self.client_pass(a, 'bench-a', logname)
            wire.append(lo_bytes() - lo0)
            changes = [ln for ln in open(os.path.join(self.logs, logname + '.log'), errors='replace')
                       if CHANGE_LINE.search(ln)]
            if changes:
                raise RuntimeError(f'W4: the no-change pass changed something:\n{"".join(changes[:10])}')
            walls.append(r.wall); rss.append(r.rss_mib); tree.append(r.tree_pss_mib); cpu.append(r.cpu)
            srss.append(srv.hwm_mib()); scpu.append(srv.cpu_s() - c0)
        self.stop_server()
        verify(src, a, 'W4 A after the no-change passes')
        shutil.rmtree(os.path.join(self.run_dir, 'w4'), ignore_errors=True)
        self.record('W4', f'W4 no-change pass over {desc} (client A, after a first sync)', walls,
                    lo_bytes=wire, client_rss_mib=rss, client_tree_pss_mib=tree, client_cpu_s=cpu, server_rss_mib=srss,
                    server_cpu_s=scpu, setup_first_pass_s=round(setup.wall, 2),
                    setup_rss_mib=round(setup.rss_mib, 1))

    def w5(self):
        n = self.reps('w5')
        log(f'W5 propagation latency of a new 1 KiB file, continuous mode: bench/realtime, {n} sample(s)')
        out_path = os.path.join(self.logs, 'w5-realtime.md')
        err_path = os.path.join(self.logs, 'w5-realtime.log')
        cmd = ['java', os.path.join(HERE, 'realtime', 'RealtimeBench.java'), '--server-jar', self.server_jar,
               '--client-jar', self.client_jar, '--small', str(n), '--large', '0', '--burst', '0',
               '--idle-files', '0', '--work', os.path.join(self.run_dir, 'w5'), '--max-minutes', '10']
        lo0 = lo_bytes()
        p = spawn(cmd, err_path, env=java_env(), out_path=out_path)
        try:
            p.wait(timeout=900)
        except subprocess.TimeoutExpired:
            pass
        kill_group(p, grace=15)
        lo = lo_bytes() - lo0
        text = open(out_path, errors='replace').read()
        m = re.search(r'Small-file samples \(ms, in order\): ([\d., ]+)', text)
        if p.returncode != 0 or not m:
            raise RuntimeError(f'bench/realtime failed (exit {p.returncode}); see {out_path} and {err_path}:\n'
                               f'{tail(err_path)}')
        ms = [float(x) for x in m.group(1).split(',') if x.strip()]
        if len(ms) < n:
            raise RuntimeError(f'W5: only {len(ms)} of {n} samples completed; see {out_path}')
        self.record('W5', 'W5 new 1 KiB file in A -> complete in B, continuous clients (bench/realtime, '
                    'clients with --interval 60)', [x / 1000 for x in ms], lo_bytes_whole_run=lo,
                    note='lo bytes are for the whole bench/realtime run (start-up, first passes, long polls)')
        shutil.rmtree(os.path.join(self.run_dir, 'w5'), ignore_errors=True)

    def meta(self):
        def cmd_out(c):
            try:
                return subprocess.run(c, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                      timeout=60).stdout.strip()
            except Exception as e:  # noqa
                return f'unavailable ({e.__class__.__name__})'
        cpu = ''
        try:
            cpu = [ln.split(':', 1)[1].strip() for ln in open('/proc/cpuinfo') if ln.startswith('model name')][0]
        except Exception:  # noqa
            pass
        mem = cmd_out(['free', '-h']).splitlines()
        jars = {}
        for name, j in (('server', self.server_jar), ('client', self.client_jar)):
            h = hashlib.sha256(open(j, 'rb').read()).hexdigest()[:12]
            jars[name] = {'path': j, 'built': time.strftime('%Y-%m-%d %H:%M:%S', time.localtime(os.path.getmtime(j))),
                          'sha256': h}
        self.results['meta'] = {
            'started': time.strftime('%Y-%m-%d %H:%M:%S %Z'), 'quick': self.quick, 'netns': NETNS,
            'nproc': os.cpu_count(), 'cpu': cpu, 'kernel': platform.release(),
            'memory': ' '.join(mem[1].split()[1:2]) + ' total' if len(mem) > 1 else '',
            'java': cmd_out(['java', '-version']).splitlines(), 'jars': jars, 'commit': read_commit(),
            'data': self.data, 'scale': self.scale, 'workloads': scale_desc(self.scale),
            'client_java_opts': ' '.join(self.client_opts),
            'server_java_opts': os.environ.get('SERVER_JAVA_OPTS', ''), 'stale_sources': self.stale,
            'lo_bytes_at_start': lo_bytes(),
        }

    def run(self):
        fresh_dir(self.logs)
        fresh_dir(self.run_dir)
        fresh_dir(CACHE)
        self.meta()
        self.save()
        log(f'work dir {WORK} (logs in {self.logs}); data {self.data}; network namespace: {NETNS}')
        t0 = time.perf_counter()
        steps = [('startup', self.startup), ('w1', self.w1), ('w2', self.w2_w3), ('w4', self.w4), ('w5', self.w5)]
        failed = []
        for key, fn in steps:
            if key not in self.only:
                continue
            try:
                if key != 'startup':
                    self.warm_cache()
                fn()
            except RuntimeError as e:
                # a workload that fails (verification, a client error, a timeout) is reported, the rest still run
                self.stop_server()
                log(f'FAILED {key}: {e}')
                failed.append(key)
                self.results['rows'][ROW_KEY[key]] = {'name': ROW_KEY[key], 'error': str(e)[:3000]}
                if key == 'w2':
                    self.results['rows']['W3'] = {'name': 'W3', 'error': 'not run: W2 failed'}
                self.save()
        self.results['meta']['duration_s'] = round(time.perf_counter() - t0, 1)
        self.results['meta']['failed'] = failed
        self.save()
        shutil.rmtree(self.run_dir, ignore_errors=True)
        return 1 if failed else 0


def read_commit():
    """HEAD's commit read from .git without running git (and whether it could be resolved)."""
    g = os.path.join(REPO, '.git')
    try:
        head = open(os.path.join(g, 'HEAD')).read().strip()
        if not head.startswith('ref:'):
            return head[:12]
        ref = head.split(None, 1)[1]
        p = os.path.join(g, ref)
        if os.path.exists(p):
            return open(p).read().strip()[:12] + f' ({ref.rsplit("/", 1)[-1]})'
        for line in open(os.path.join(g, 'packed-refs')):
            if line.strip().endswith(' ' + ref):
                return line.split()[0][:12] + f' ({ref.rsplit("/", 1)[-1]})'
    except OSError:
        pass
    return 'unknown'


# ---------------------------------------------------------------- report

def f3(x):
    if x is None:
        return '–'
    if abs(x) >= 100:
        return f'{x:.0f}'
    if abs(x) >= 10:
        return f'{x:.1f}'
    if abs(x) >= 1:
        return f'{x:.2f}'
    return f'{x:.3f}'


def med(v):
    if isinstance(v, dict):
        return v.get('median')
    if isinstance(v, (int, float)):
        return v
    return None


ROW_KEY = {'startup': 'startup', 'w1': 'W1', 'w2': 'W2', 'w4': 'W4', 'w5': 'W5'}
ORDER = ['W1', 'W2', 'W3', 'W4', 'W5', 'startup', 'pass-startup']

# (peer, workload) -> substrings that all must occur in the peer row's name (first match wins)
PEER_ROWS = {
    'rsync': {'W1': ['W1 initial sync', 'push to rsync daemon on 127.0.0.1'],
              'W2': ['W2 initial sync', 'push to rsync daemon on 127.0.0.1'],
              'W3': ['W3 ', 'push to rsync daemon'],
              'W4': ['W4 no-change pass', 'push to daemon, real run']},
    'unison': {'W1': ['W1 initial sync', 'socket mode'], 'W2': ['W2 initial sync', 'socket mode'],
               'W3': ['W3 ', 'socket mode'], 'W4': ['W4 no-change run', 'socket mode'],
               'W5': ['W5 ', 'unison -repeat 1']},
    'syncthing': {'W1': ['W1 initial sync', 'until B complete'], 'W2': ['W2 initial sync', 'until B complete'],
                  'W3': ['W3 ', 'defaults'], 'W4': ['W4 forced full rescan'],
                  'W5': ['W5 ', 'fsWatcherDelayS=1']},
}
PEER_LABEL = {'rsync': 'rsync (daemon)', 'unison': 'Unison (socket)', 'syncthing': 'Syncthing'}


def peer_row(peers, peer, wl):
    want = PEER_ROWS.get(peer, {}).get(wl)
    if not want:
        return None
    for r in peers['rows']:
        if r.get('section') == peer and all(w in r.get('name', '') for w in want) and \
                not r['name'].endswith('no delete between repeats') and '--fsync' not in r['name']:
            return r
    return None


def peer_rss(row):
    for k in ('client_rss_mib', 'rss_a_mib'):
        if k in row:
            return med(row[k])
    return None


def report(ours, peers, md_path, peers_md=None):
    m = ours['meta']
    rows = ours['rows']
    L = []
    L.append('# Synced Folder benchmark' + (' (--quick: smaller workloads, 1 run each)' if m.get('quick') else ''))
    L.append('')
    L.append(f"Run {m.get('started', '?')}, took {m.get('duration_s', '?')} s. Machine: nproc {m.get('nproc')}, "
             f"{m.get('cpu', '')}, {m.get('memory', '')} RAM, Linux {m.get('kernel', '')}; "
             f"{'; '.join(m.get('java', [])[:2])}.")
    jars = m.get('jars', {})
    L.append(f"Code: commit {m.get('commit', 'unknown')}; client jar built {jars.get('client', {}).get('built', '?')} "
             f"(sha256 {jars.get('client', {}).get('sha256', '?')}), server jar built "
             f"{jars.get('server', {}).get('built', '?')} (sha256 {jars.get('server', {}).get('sha256', '?')}).")
    if m.get('client_java_opts') or m.get('server_java_opts'):
        L.append(f"JVM options: client `{m.get('client_java_opts', '')}`, server `{m.get('server_java_opts', '')}`.")
    ns = m.get('netns', 'none')
    if ns == 'none':
        L.append('**Network namespace: not available** (`unshare --net` was refused): the wire bytes are the '
                 'loopback counters of the shared namespace and include any other loopback traffic on this '
                 'machine during the run.')
    else:
        L.append(f'Network: our server and clients ran in a private network namespace (`unshare '
                 f'{"--net" if ns == "net" else "--user --map-root-user --net"}`, only `lo` up), so the loopback '
                 f'counters are this run\'s traffic alone (read from `/proc/self/net/dev`; lo had '
                 f'{m.get("lo_bytes_at_start", "?")} bytes at the start).')
    L.append(f"Data: `{m.get('data', '?')}` (same generator and seeds as bench-peers).")
    if stale := m.get('stale_sources'):
        L.append(f'**Warning:** {stale} source file(s) changed after the jars were built; these figures are '
                 f'for the jars.')
    L.append('')
    L.append('Wall time per run: for W1-W3 from the start of A\'s `--once` pass to the end of B\'s `--once` pass '
             '(two JVM start-ups included; server already running, fresh server data dir per run); W4 one '
             '`--once` pass of client A; W5 write in A until B has the content. Wire: bytes counted by `lo` '
             '(TCP/IP headers included, both directions once), MB = 10^6 bytes. RSS: the larger peak RSS of the '
             'two clients (`/usr/bin/time -v`: of the largest process, which for a `--once` pass is the pass JVM '
             'its launcher starts; the notes give launcher and pass together, PSS sampled every 50 ms). '
             'CPU: user+sys of the client processes (launchers included).')
    L.append('')
    L.append('| workload | median wall s | min–max s | runs | wire MB | peak client RSS MiB | client CPU s | notes |')
    L.append('|---|---|---|---|---|---|---|---|')
    for k in ORDER:
        r = rows.get(k)
        if r is None:
            continue
        if 'error' in r:
            L.append(f"| {k} | **FAILED** | | | | | | {r['error'].splitlines()[0][:200]} |")
            continue
        notes = []
        if 'a_pass_s' in r:
            notes.append(f"A {f3(med(r['a_pass_s']))} s + B {f3(med(r['b_pass_s']))} s")
        if med(r.get('client_tree_pss_mib')):
            notes.append(f"client launcher + pass JVM together {med(r['client_tree_pss_mib']):.0f} MiB PSS")
        if med(r.get('server_rss_mib')):
            notes.append(f"server peak RSS {med(r['server_rss_mib']):.0f} MiB")
        if k == 'W3' and med(r.get('lo_bytes')) is not None:
            ok = med(r['lo_bytes']) <= W3_WIRE_TARGET
            notes.append(f"wire target ≤ 2 MiB (2.10 MB): {'met' if ok else '**missed**'}")
        if k == 'W4':
            notes.append(f"set-up (first pass) {r.get('setup_first_pass_s')} s")
            if med(r.get('server_cpu_s')) is not None:
                notes.append(f"server CPU {f3(med(r['server_cpu_s']))} s")
        if k == 'W5':
            notes.append('latency; wire not measured per sample')
        if k == 'pass-startup' and med(r.get('first_pass_s')) is not None:
            notes.append(f"the first pass after install (writes the class-data archive): {f3(med(r['first_pass_s']))} s, "
                         f"{med(r['first_pass_rss_mib']):.0f} MiB")
        wire = med(r.get('lo_bytes'))
        rss = med(r.get('client_rss_mib'))
        wire_s = f3(wire / 1e6) if wire is not None else '–'
        rss_s = f'{rss:.0f}' if rss else '–'
        L.append(f"| {r['name']} | **{f3(r.get('median'))}** | {f3(r.get('min'))}–{f3(r.get('max'))} | {r.get('n')} | "
                 f"{wire_s} | {rss_s} | {f3(med(r.get('client_cpu_s')))} | {'; '.join(notes)} |")
    L.append('')
    L.append('Samples (s, in run order): ' + '; '.join(
        f"{k} " + ', '.join(f3(x) for x in rows[k].get('samples', [])) for k in ORDER if k in rows and
        'samples' in rows[k]) + '.')
    if m.get('failed'):
        L.append('')
        L.append('**Failed:** ' + ', '.join(m['failed']) + '. Details:')
        L.append('')
        for k in ORDER:
            r = rows.get(k)
            if r and 'error' in r:
                L.append('```')
                L.append(f'{k}: ' + r['error'])
                L.append('```')
    L.append('')
    if peers is not None:
        L.extend(peer_section(ours, peers, peers_md))
    else:
        L.append('Peers: not run (use `bench/run.sh --with-peers`).')
        L.append('')
    with open(md_path, 'w') as f:
        f.write('\n'.join(L))
    return '\n'.join(L)


def peer_section(ours, peers, peers_md):
    rows = ours['rows']
    pm = peers.get('meta', {})
    L = ['## Ours / peers (same session)', '']
    if ours['meta'].get('quick'):
        L.append('**Not comparable:** this was a `--quick` run, our workloads were smaller than the peers\' '
                 '(full-size data). The ratios below are printed only to check the plumbing.')
        L.append('')
    L.append(f"Peers: `../shared/bench-peers` run {pm.get('started', '?')} "
             f"({'one repeat each (BENCH_QUICK=1)' if pm.get('quick') else 'full repeats'}; "
             f"network namespace: {pm.get('netns')}). Versions: " +
             ', '.join(f"{k} {v}" for k, v in pm.get('versions', {}).items()
                       if k in ('rsync', 'unison', 'syncthing')) + '.')
    L.append('Rows used: rsync = push to the rsync daemon (W4: real run, not -n); Unison = socket mode; '
             'Syncthing = defaults (W3: weak hash at its default; W4: forced full rescan of A; W5: '
             'fsWatcherDelayS=1, its minimum). Ratio < 1 means we are faster.')
    L.append('')
    L.append('| workload | ours s | rsync s | Unison s | Syncthing s | ours/rsync | ours/Unison | ours/Syncthing | '
             'fastest peer | **ours/fastest** |')
    L.append('|---|---|---|---|---|---|---|---|---|---|')
    for wl in ['W1', 'W2', 'W3', 'W4', 'W5']:
        r = rows.get(wl)
        o = r.get('median') if r else None
        vals = {}
        for p in ('rsync', 'unison', 'syncthing'):
            pr = peer_row(peers, p, wl)
            vals[p] = pr.get('median') if pr else None
        present = {p: v for p, v in vals.items() if v}
        fastest = min(present, key=present.get) if present else None

        def ratio(v):
            return f'{o / v:.2f}×' if (o and v) else '–'
        L.append(f"| {wl} | {f3(o)} | {f3(vals['rsync'])} | {f3(vals['unison'])} | {f3(vals['syncthing'])} | "
                 f"{ratio(vals['rsync'])} | {ratio(vals['unison'])} | {ratio(vals['syncthing'])} | "
                 f"{PEER_LABEL[fastest] + ' ' + f3(present[fastest]) if fastest else '–'} | "
                 f"**{ratio(present[fastest]) if fastest else '–'}** |")
    L.append('')
    # wire bytes and memory side by side
    L.append('| figure | ours | rsync | Unison | Syncthing |')
    L.append('|---|---|---|---|---|')
    for wl, key, label in [('W3', 'lo_bytes', 'W3 wire MB (lo)'), ('W1', 'lo_bytes', 'W1 wire MB (lo)'),
                           ('W2', 'lo_bytes', 'W2 wire MB (lo)'), ('W4', 'rss', 'W4 peak client RSS MiB'),
                           ('W4', 'cpu', 'W4 client CPU s')]:
        cells = []
        r = rows.get(wl) or {}
        if key == 'lo_bytes':
            v = med(r.get('lo_bytes'))
            cells.append(f3(v / 1e6) if v is not None else '–')
        elif key == 'rss':
            cells.append(f3(med(r.get('client_rss_mib'))))
        else:
            cells.append(f3(med(r.get('client_cpu_s'))))
        for p in ('rsync', 'unison', 'syncthing'):
            pr = peer_row(peers, p, wl)
            if not pr:
                cells.append('–')
            elif key == 'lo_bytes':
                v = med(pr.get('lo_bytes'))
                cells.append(f3(v / 1e6) if v is not None else '–')
            elif key == 'rss':
                cells.append(f3(peer_rss(pr)))
            else:
                cells.append(f3(med(pr.get('client_cpu_s', pr.get('cpu_s_both')))))
        L.append(f'| {label} | ' + ' | '.join(cells) + ' |')
    L.append('')
    L.append('Syncthing\'s RSS and CPU are of its daemon(s) (A; CPU of both), not of a one-shot client.')
    failed = [r for r in peers.get('rows', []) if r.get('name') == 'FAILED']
    for r in failed:
        L.append(f"**Peer section {r.get('section')} failed:** {r.get('error', '')[:300]}")
    if peers_md and os.path.exists(peers_md):
        L.append('')
        L.append(f'### Peers: full results (`{peers_md}`)')
        L.append('')
        L.append(open(peers_md).read())
    return L


# ---------------------------------------------------------------- main

def main():
    import argparse
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest='cmd', required=True)
    g = sub.add_parser('gen')
    g.add_argument('--quick', action='store_true')
    r = sub.add_parser('run')
    r.add_argument('--quick', action='store_true')
    r.add_argument('--server-jar', required=True)
    r.add_argument('--client-jar', required=True)
    r.add_argument('--out', required=True)
    r.add_argument('--only', default='', help='comma-separated subset of startup,w1,w2,w4,w5 (w2 includes W3)')
    r.add_argument('--stale', type=int, default=0)
    p = sub.add_parser('report')
    p.add_argument('--ours', required=True)
    p.add_argument('--peers')
    p.add_argument('--md', required=True)
    a = ap.parse_args()
    if a.cmd == 'gen':
        print(gen_data(a.quick))
        return 0
    if a.cmd == 'report':
        ours = json.load(open(a.ours))
        peers = json.load(open(a.peers)) if a.peers else None
        peers_md = os.path.join(os.path.dirname(a.peers), 'results.md') if a.peers else None
        report(ours, peers, a.md, peers_md)
        return 0
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGHUP, _on_signal)
    for j in (a.server_jar, a.client_jar):
        if not os.path.isfile(j):
            raise SystemExit(f'missing jar {j}')
    if not os.path.exists(os.path.join(data_dir(a.quick), f'.complete-v{GEN_VERSION}')):
        raise SystemExit(f'no data in {data_dir(a.quick)}: run `sfbench.py gen{" --quick" if a.quick else ""}` first')
    b = Bench(a)
    try:
        return b.run()
    finally:
        kill_all()
        shutil.rmtree(b.run_dir, ignore_errors=True)  # folders and server data (GBs at full size); logs stay


if __name__ == '__main__':
    sys.exit(main())
