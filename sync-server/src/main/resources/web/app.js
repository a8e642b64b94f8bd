// Synced Folder's web page: signs in with the server's access token and uses the documented JSON API
// (README, "HTTP API") the way the command-line client does. The token lives in sessionStorage and travels only in
// the Authorization header, never in a URL. Everything shown is built with textContent, never parsed as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'syncedFolder.token';
  const API = '/api/v1';

  // ---- The server's API: one function per route, and the only code that knows the JSON field names. ----

  /** A refused or failed request: the HTTP status and the server's sentence for people. */
  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function request(method, path, body) {
    const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(TOKEN_KEY) };
    const init = { method, headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(API + path, init);
    } catch (e) {
      throw new ApiError(0, 'The server cannot be reached.');
    }
    if (response.ok) {
      return response;
    }
    let detail = response.status + ' ' + response.statusText;
    try {
      const error = await response.json();
      detail = error.detail || error.error || detail;
    } catch (e) {
      // not a JSON error body; the status line says enough
    }
    if (response.status === 401) {
      signOut('The server did not accept the token. Sign in again.');
    }
    throw new ApiError(response.status, detail);
  }

  async function getJson(path) {
    return (await request('GET', path)).json();
  }

  const api = {
    status: () => getJson('/status'),
    /** Returns { dir, entries: [{ name, path, kind, size, mtime, version, device }] }. */
    folder: (dir) => getJson('/files?dir=' + encodeURIComponent(dir)),
    /** Returns the Response of GET /file, its body not read yet. */
    file: (path, version) => request('GET', '/file?path=' + encodeURIComponent(path)
        + (version === undefined || version === null ? '' : '&version=' + encodeURIComponent(version))),
    /** Returns the versions of a path, newest (current) first: [{ version, kind, deleted, size, mtime, device, replacedAt }]. */
    history: async (path) => {
      const json = await getJson('/history?path=' + encodeURIComponent(path));
      return Array.isArray(json) ? json : (json.versions || []);
    },
    /** Returns the deleted files: [{ path, deletedVersion, deletedAt, device, lastVersion: { version, size, mtime } }]. */
    trash: async () => {
      const json = await getJson('/trash');
      return Array.isArray(json) ? json : (json.items || []);
    },
    /** Makes a kept version current again; returns the new entry ({ path, version, … }). */
    restore: async (path, version) => (await request('POST', '/restore', { path, version })).json(),
  };

  const isFolder = (kind) => String(kind).toUpperCase() === 'DIRECTORY';

  // ---- Small helpers. ----

  const $ = (id) => document.getElementById(id);

  /** Makes an element with attributes (on* functions become listeners) and children (strings become text). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) {
        continue;
      }
      if (key.startsWith('on')) {
        node.addEventListener(key.slice(2), value);
      } else if (key === 'class') {
        node.className = value;
      } else {
        node.setAttribute(key, value === true ? '' : value);
      }
    }
    for (const child of children.flat()) {
      if (child !== undefined && child !== null && child !== false) {
        node.append(child);
      }
    }
    return node;
  }

  function formatSize(bytes) {
    if (bytes < 1024) {
      return bytes + '\u00a0B';
    }
    const units = ['KB', 'MB', 'GB', 'TB'];
    let value = bytes / 1024;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return (value < 10 ? value.toFixed(1) : Math.round(value)) + '\u00a0' + units[unit];
  }

  function formatTime(millis) {
    if (!millis) {
      return '';
    }
    const d = new Date(millis);
    const pad = (n) => String(n).padStart(2, '0');
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' '
        + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }

  function formatDuration(seconds) {
    const days = Math.floor(seconds / 86400);
    const hours = Math.floor(seconds % 86400 / 3600);
    const minutes = Math.floor(seconds % 3600 / 60);
    if (days > 0) {
      return days + ' d ' + hours + ' h';
    }
    if (hours > 0) {
      return hours + ' h ' + minutes + ' min';
    }
    return minutes > 0 ? minutes + ' min ' + seconds % 60 + ' s' : seconds + ' s';
  }

  const baseName = (path) => path.slice(path.lastIndexOf('/') + 1);
  const parentOf = (path) => path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const filesHash = (dir) => '#/files/' + dir.split('/').map(encodeURIComponent).join('/');
  const historyHash = (path) => '#/history/' + path.split('/').map(encodeURIComponent).join('/');

  function showError(id, message) {
    const node = $(id);
    node.textContent = message;
    node.hidden = !message;
  }

  function notify(message) {
    const node = $('notice');
    node.textContent = message;
    node.hidden = !message;
  }

  /** Runs a button's action with the button disabled, and reports a failure in the view's error line. */
  async function busy(button, errorId, action) {
    button.disabled = true;
    try {
      await action();
    } catch (e) {
      showError(errorId, e.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---- Downloads: fetched with the token in the header, then handed to the browser as a blob. ----

  async function download(path, version) {
    const response = await api.file(path, version);
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: baseName(path), hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
    // The browser has taken the blob once the click's navigation ran; free it a little later.
    setTimeout(() => URL.revokeObjectURL(url), 60000);
    notify('Downloaded ' + baseName(path) + ' (' + formatSize(blob.size) + ').');
  }

  // ---- Views. ----

  function showView(name) {
    for (const view of ['files', 'history', 'trash', 'status']) {
      $(view).hidden = view !== name;
    }
    for (const link of document.querySelectorAll('#mainnav a')) {
      if (link.dataset.section === (name === 'history' ? 'files' : name)) {
        link.setAttribute('aria-current', 'page');
      } else {
        link.removeAttribute('aria-current');
      }
    }
  }

  function renderBreadcrumbs(dir) {
    const crumbs = $('breadcrumbs');
    crumbs.replaceChildren();
    const parts = dir ? dir.split('/') : [];
    const trail = [['Home', '']];
    parts.forEach((part, i) => trail.push([part, parts.slice(0, i + 1).join('/')]));
    trail.forEach(([label, path], i) => {
      const last = i === trail.length - 1;
      crumbs.append(el('li', {}, last
          ? el('span', { 'aria-current': 'location' }, label)
          : el('a', { href: filesHash(path) }, label)));
    });
  }

  async function showFiles(dir) {
    showView('files');
    renderBreadcrumbs(dir);
    showError('files-error', '');
    const list = $('file-list');
    list.setAttribute('aria-busy', 'true');
    try {
      const listing = await api.folder(dir);
      list.replaceChildren(...listing.entries.map(fileRow));
      $('files-empty').hidden = listing.entries.length > 0;
    } catch (e) {
      list.replaceChildren();
      $('files-empty').hidden = true;
      showError('files-error', e.message);
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  function fileRow(entry) {
    if (isFolder(entry.kind)) {
      return el('li', { class: 'entry folder', 'data-path': entry.path },
          el('span', { class: 'icon icon-folder', 'aria-hidden': 'true' }),
          el('a', { class: 'name', href: filesHash(entry.path) }, entry.name),
          el('span', { class: 'meta' }, entry.mtime ? 'folder · ' + formatTime(entry.mtime) : 'folder'),
          el('span', { class: 'actions' }));
    }
    const downloadButton = el('button', {
      type: 'button', class: 'download', 'aria-label': 'Download ' + entry.name,
      onclick: () => busy(downloadButton, 'files-error', () => download(entry.path)),
    }, 'Download');
    return el('li', { class: 'entry file', 'data-path': entry.path },
        el('span', { class: 'icon icon-file', 'aria-hidden': 'true' }),
        el('span', { class: 'name' }, entry.name),
        el('span', { class: 'meta' }, formatSize(entry.size) + ' · ' + formatTime(entry.mtime)
            + (entry.device ? ' · ' + entry.device : '')),
        el('span', { class: 'actions' },
            downloadButton,
            el('a', { class: 'button history', href: historyHash(entry.path),
              'aria-label': 'History of ' + entry.name }, 'History')));
  }

  async function showHistory(path) {
    showView('history');
    $('history-title').textContent = 'History of ' + path;
    $('history-back').href = filesHash(parentOf(path));
    showError('history-error', '');
    const list = $('version-list');
    list.replaceChildren();
    list.setAttribute('aria-busy', 'true');
    try {
      const versions = await api.history(path);
      list.replaceChildren(...versions.map((v, i) => versionRow(path, v, i === 0)));
    } catch (e) {
      showError('history-error', e.status === 404 && !e.message.includes(path)
          ? 'This server keeps no history.' : e.message);
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  function versionRow(path, v, current) {
    const liveFile = !v.deleted && !isFolder(v.kind);
    let what;
    if (v.deleted) {
      what = 'deleted';
    } else if (isFolder(v.kind)) {
      what = 'folder';
    } else {
      what = formatSize(v.size) + ' · modified ' + formatTime(v.mtime);
    }
    const when = current ? 'current' : (v.replacedAt ? 'replaced ' + formatTime(v.replacedAt) : '');
    const actions = el('span', { class: 'actions' });
    if (liveFile) {
      const downloadButton = el('button', {
        type: 'button', class: 'download', 'aria-label': 'Download version ' + v.version,
        onclick: () => busy(downloadButton, 'history-error', () => download(path, v.version)),
      }, 'Download');
      actions.append(downloadButton);
      if (!current) {
        const restoreButton = el('button', {
          type: 'button', class: 'restore primary', 'aria-label': 'Restore version ' + v.version,
          onclick: () => busy(restoreButton, 'history-error', async () => {
            const entry = await api.restore(path, v.version);
            notify('Restored version ' + v.version + ' of ' + path + ' as version ' + entry.version + '.');
            await showHistory(path);
          }),
        }, 'Restore');
        actions.append(restoreButton);
      }
    }
    return el('li', { class: 'entry version' + (current ? ' current' : ''), 'data-version': v.version },
        el('span', { class: 'badge' + (v.deleted ? ' deleted' : '') }, 'v' + v.version),
        el('span', { class: 'name' }, what),
        el('span', { class: 'meta' }, [when, v.device ? 'by ' + v.device : ''].filter(Boolean).join(' · ')),
        actions);
  }

  async function showTrash() {
    showView('trash');
    showError('trash-error', '');
    const list = $('trash-list');
    list.setAttribute('aria-busy', 'true');
    try {
      const items = await api.trash();
      list.replaceChildren(...items.map(trashRow));
      $('trash-empty').hidden = items.length > 0;
    } catch (e) {
      list.replaceChildren();
      $('trash-empty').hidden = true;
      showError('trash-error', e.status === 404 ? 'This server keeps no deleted files.' : e.message);
    } finally {
      list.removeAttribute('aria-busy');
    }
  }

  function trashRow(item) {
    const last = item.lastVersion || {};
    const restoreButton = el('button', {
      type: 'button', class: 'restore primary', 'aria-label': 'Restore ' + item.path,
      onclick: () => busy(restoreButton, 'trash-error', async () => {
        const entry = await api.restore(item.path, last.version);
        notify('Restored ' + item.path + ' as version ' + entry.version + '.');
        await showTrash();
      }),
    }, 'Restore');
    const meta = ['deleted ' + formatTime(item.deletedAt), item.device ? 'by ' + item.device : '',
      last.size !== undefined ? formatSize(last.size) : ''].filter(Boolean).join(' · ');
    return el('li', { class: 'entry trashed', 'data-path': item.path },
        el('span', { class: 'icon icon-file', 'aria-hidden': 'true' }),
        el('span', { class: 'name' }, item.path),
        el('span', { class: 'meta' }, meta),
        el('span', { class: 'actions' }, restoreButton,
            el('a', { class: 'button history', href: historyHash(item.path),
              'aria-label': 'History of ' + item.path }, 'History')));
  }

  /** Turns "acceptedCommits" into "Accepted commits". */
  function label(key) {
    const words = key.replace(/([A-Z])/g, ' $1').toLowerCase();
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  function facts(list, pairs) {
    list.replaceChildren(...pairs.flatMap(([name, value]) => [el('dt', {}, name), el('dd', {}, String(value))]));
  }

  async function showStatus() {
    showView('status');
    showError('status-error', '');
    try {
      const [health, status] = await Promise.all([
        fetch('/health', { cache: 'no-store' }).then((r) => (r.ok ? 'ok' : 'answered ' + r.status),
            () => 'unreachable'),
        api.status()]);
      facts($('status-summary'), [
        ['Health', health],
        ['Version', status.version],
        ['Up for', formatDuration(status.uptimeSeconds)],
        ['Files', status.files],
        ['Folders', status.folders],
        ['Total size', formatSize(status.bytes)],
        ['Deleted paths remembered', status.deleted],
        ['Latest change', 'version ' + status.sequence],
      ]);
      facts($('status-stats'), Object.entries(status.stats || {}).map(([key, value]) =>
          [label(key), /bytes/i.test(key) ? formatSize(value) : value]));
    } catch (e) {
      showError('status-error', e.message);
    }
  }

  // ---- Signing in and out, and the address bar as the page's state. ----

  function signedIn() {
    return !!sessionStorage.getItem(TOKEN_KEY);
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('mainnav').hidden = true;
    showView('none');
    notify('');
    $('signin').hidden = false;
    showError('signin-error', message || '');
    $('token').value = '';
    $('token').focus();
  }

  async function signIn(event) {
    event.preventDefault();
    const token = $('token').value.trim();
    if (!token) {
      showError('signin-error', 'Enter the access token.');
      return;
    }
    const button = $('signin-button');
    button.disabled = true;
    try {
      const response = await fetch(API + '/status', {
        headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
      if (response.status === 401) {
        showError('signin-error', 'The server did not accept that token.');
        return;
      }
      if (!response.ok) {
        showError('signin-error', 'The server answered ' + response.status + '; try again.');
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token);
      $('token').value = '';
      enter();
    } catch (e) {
      showError('signin-error', 'The server cannot be reached.');
    } finally {
      button.disabled = false;
    }
  }

  function enter() {
    $('signin').hidden = true;
    showError('signin-error', '');
    $('mainnav').hidden = false;
    route();
  }

  function decodePath(rest) {
    return rest.split('/').filter((s) => s !== '').map(decodeURIComponent).join('/');
  }

  function route() {
    if (!signedIn()) {
      return;
    }
    const hash = location.hash || '#/files/';
    if (hash.startsWith('#/history/')) {
      showHistory(decodePath(hash.slice('#/history/'.length)));
    } else if (hash === '#/trash') {
      showTrash();
    } else if (hash === '#/status') {
      showStatus();
    } else {
      showFiles(hash.startsWith('#/files/') ? decodePath(hash.slice('#/files/'.length)) : '');
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', () => signOut(''));
    window.addEventListener('hashchange', () => {
      notify('');
      route();
      // Tell a screen reader the page changed: focus moves to the new view's heading.
      const heading = document.querySelector('.view:not([hidden]) h1');
      if (heading) {
        heading.focus({ preventScroll: true });
      }
    });
    if (signedIn()) {
      enter();
    } else {
      signOut('');
    }
  });
})();
