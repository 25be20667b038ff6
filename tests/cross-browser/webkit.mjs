/**
 * WebKitGTK (Safari's engine) as a driver for checks.mjs: Debian's MiniBrowser through
 * WebKitWebDriver and selenium-webdriver. MiniBrowser has no headless mode, so it runs on its own
 * Xvfb display. startWebKit() starts Xvfb (it picks a free display itself, -displayfd) and
 * WebKitWebDriver on a free port; close() quits the session and stops both by their process ids.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Builder, Key } from 'selenium-webdriver';

const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const KEYS = { ArrowRight: Key.ARROW_RIGHT, ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN, Space: Key.SPACE, Enter: Key.ENTER };

/** Xvfb on a display it chooses; resolves { proc, display } once it is ready. */
function startXvfb() {
  const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
  return new Promise((ok, fail) => {
    let text = '';
    const timer = setTimeout(() => fail(new Error('Xvfb did not start in 20 s')), 20000);
    proc.once('error', fail);
    proc.once('exit', (code) => fail(new Error(`Xvfb exited (${code})`)));
    proc.stdio[3].on('data', (d) => {
      text += d;
      if (!text.includes('\n')) return;
      clearTimeout(timer);
      ok({ proc, display: `:${text.trim()}` });
    });
  });
}

/** A TCP port that was free a moment ago. */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/** Resolves once the WebDriver server answers /status. */
async function waitForServer(url, proc) {
  const t0 = Date.now();
  while (Date.now() - t0 < 20000) {
    if (proc.exitCode !== null) throw new Error(`WebKitWebDriver exited (${proc.exitCode})`);
    try {
      if ((await fetch(`${url}/status`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error('WebKitWebDriver did not answer in 20 s');
}

const stop = (proc) => {
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    try {
      process.kill(-proc.pid, 'SIGTERM'); // its own process group: the driver and the MiniBrowser it started
    } catch {
      proc.kill('SIGTERM');
    }
  }
};

/** Starts Xvfb, WebKitWebDriver and a MiniBrowser session; returns the driver (see checks.mjs). */
export async function startWebKit() {
  const xvfb = await startXvfb();
  let wd = null;
  try {
    const port = await freePort();
    wd = spawn('WebKitWebDriver', [`--port=${port}`], { env: { ...process.env, DISPLAY: xvfb.display }, stdio: 'ignore', detached: true });
    const url = `http://127.0.0.1:${port}`;
    await waitForServer(url, wd);
    const driver = await new Builder().usingServer(url).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build();
    await driver.manage().setTimeouts({ script: 120000, pageLoad: 60000 });
    const call = async (name, ...args) => {
      const r = await driver.executeAsyncScript(`var done = arguments[arguments.length - 1];
        var name = arguments[0], args = arguments[1];
        Promise.resolve().then(function () { return window.__attnTest[name].apply(null, args); })
          .then(function (v) { done({ ok: v === undefined ? null : v }); }, function (e) { done({ error: String((e && e.stack) || e) }); });`, name, args);
      if (r.error) throw new Error(`${name}: ${r.error}`);
      return r.ok;
    };
    return {
      name: 'webkit',
      goto: (url2) => driver.get(url2),
      call,
      evaluate: (fn, ...args) => driver.executeScript(`return (${fn}).apply(null, arguments);`, ...args),
      press: (key) => driver.actions({ async: true }).sendKeys(KEYS[key]).perform(),
      /** Errors recorded in child frames (WebKitWebDriver reports no console messages itself). */
      async frameErrors() {
        const out = [];
        const frames = await driver.findElements({ css: 'iframe' });
        for (const f of frames) {
          try {
            await driver.switchTo().frame(f);
            const errors = await driver.executeScript('return window.__attnTest ? window.__attnTest.errors() : [];');
            out.push(...errors.map((e) => `iframe: ${e}`));
          } finally {
            await driver.switchTo().defaultContent();
          }
        }
        return out;
      },
      async close() {
        try {
          await driver.quit();
        } finally {
          stop(wd);
          stop(xvfb.proc);
        }
      },
    };
  } catch (err) {
    stop(wd);
    stop(xvfb.proc);
    throw err;
  }
}
