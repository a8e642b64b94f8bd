#!/usr/bin/env python3
"""Summarises a bench/profile.sh run: per process (server, A, B), where its samples went.

usage: profile_summary.py DIR [--top N]

DIR holds async-profiler's collapsed stacks (server.collapsed, A.collapsed, B.collapsed: one line per distinct
stack, frames separated by ';', then the sample count) and the clients' debug logs (A.log, B.log). For each
process it prints the samples (with event cpu and a 1 ms interval, about milliseconds of CPU), their split into
JIT compilation, GC, our code (any stack through io.syncedfolder) and the rest, then our heaviest methods
(inclusive: the share of samples whose stack passes through them), and the clients' own phase timings (the
DEBUG lines of a pass). Standard library only.
"""
import collections
import os
import re
import sys

OURS = 'io/syncedfolder/'


def category(stack):
    if 'C2Compiler' in stack or 'Compile::' in stack or 'PhaseChaitin' in stack:
        return 'JIT (C2)'
    if 'Compilation::' in stack:
        return 'JIT (C1)'
    if 'G1' in stack or 'GCTaskThread' in stack or 'SerialHeap' in stack:
        return 'GC'
    if OURS in stack:
        return 'our code'
    return 'other (JDK, libraries, kernel, JVM)'


def read(path):
    samples = []
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip('\n').rpartition(' ')
            if count.isdigit():
                samples.append((stack, int(count)))
    return samples


def summarise(name, samples, top):
    total = sum(n for _, n in samples)
    print(f'\n== {name}: {total:,} samples')
    if not total:
        return
    split = collections.Counter()
    inclusive = collections.Counter()
    for stack, n in samples:
        split[category(stack)] += n
        for frame in set(stack.split(';')):
            if frame.startswith(OURS):
                inclusive[frame[len(OURS):].replace('/', '.')] += n
    for what, n in split.most_common():
        print(f'  {100 * n / total:5.1f}%  {what}')
    print(f'  our heaviest methods (inclusive):')
    for frame, n in inclusive.most_common(top):
        print(f'  {100 * n / total:5.1f}%  {frame}')


def main():
    args = sys.argv[1:]
    if not args or args[0] in ('-h', '--help'):
        print(__doc__)
        sys.exit(0 if args else 2)
    folder = args[0]
    top = int(args[args.index('--top') + 1]) if '--top' in args else 15
    for name in ('server', 'A', 'B'):
        path = os.path.join(folder, name + '.collapsed')
        if os.path.exists(path):
            summarise(name, read(path), top)
    for name in ('A', 'B'):
        log = os.path.join(folder, name + '.log')
        if os.path.exists(log):
            print(f'\n== {name}: phases (its debug log)')
            with open(log) as f:
                for line in f:
                    if re.search(r'DEBUG (round|the server lacks|sent|committed|fetched)|pass done', line):
                        print('  ' + line.rstrip())
            timing = os.path.join(folder, name + '.time')
            if os.path.exists(timing):
                with open(timing) as f:
                    print('  ' + f.read().strip().splitlines()[-1])


if __name__ == '__main__':
    main()
