#!/usr/bin/env python3
"""Measures a desktop app's window under X (used by scripts/bench-app.sh).

  start  [--cold] -- CMD...   seconds from launch to the window painted (not blank)
  memory --title T [--type PASSPHRASE] [--stdin TEXT] -- CMD...
                              peak memory of the app and all its child processes, from launch
                              until 5 s after a window titled T (unlocked) appears

"Painted" means the window's pixels are no longer one flat colour: a window that has only its
background (a webview not drawn yet) does not count. Both apps are measured the same way.
"""
import argparse, os, signal, subprocess, sys, time


def xwd_colours(window):
    """Distinct pixel values in a grab of `window` (every 4th row), or 0 if it cannot be read."""
    raw = subprocess.run(["xwd", "-silent", "-id", window], capture_output=True).stdout
    if len(raw) < 100:
        return 0
    h = [int.from_bytes(raw[i:i + 4], "big") for i in range(0, 100, 4)]
    header, height, bpp, stride, ncolours = h[0], h[5], h[11], h[12], h[19]
    data = raw[header + ncolours * 12:]
    step = max(1, bpp // 8)
    seen = set()
    for row in range(0, height, 4):
        line = data[row * stride:(row + 1) * stride]
        seen.update(line[i:i + step] for i in range(0, len(line), step * 3))
        if len(seen) > 64:
            break
    return len(seen)


def visible_window(pid, title=None):
    args = ["xdotool", "search", "--onlyvisible"]
    args += ["--name", title] if title else ["--pid", str(pid)]
    out = subprocess.run(args, capture_output=True, text=True).stdout.split()
    return out[-1] if out else None


def tree(pid):
    """`pid` and all its descendants."""
    parents = {}
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    parents[int(p)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo += [c for c, pp in parents.items() if pp == p]
    return found


def memory_kb(pids):
    pss = rss = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss, rss


def stop(proc):
    for p in reversed(tree(proc.pid)):
        try:
            os.kill(p, signal.SIGTERM)
        except OSError:
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def start(args):
    if args.cold:
        subprocess.run(["sync"])
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
    t0 = time.monotonic()
    proc = subprocess.Popen(args.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - t0 < 60:
            window = visible_window(proc.pid)
            if window and xwd_colours(window) > 16:
                return time.monotonic() - t0
            time.sleep(0.01)
        sys.exit("the window was never painted")
    finally:
        stop(proc)


def memory(args):
    proc = subprocess.Popen(args.cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if args.stdin:
        proc.stdin.write((args.stdin + "\n").encode())
    proc.stdin.close()
    t0 = time.monotonic()
    peak = (0, 0)
    typed = unlocked_at = None
    try:
        while True:
            pss, rss = memory_kb(tree(proc.pid))
            peak = (max(peak[0], pss), max(peak[1], rss))
            now = time.monotonic()
            if args.type and not typed:
                window = visible_window(proc.pid)
                if window and xwd_colours(window) > 16:
                    subprocess.run(["xdotool", "windowfocus", "--sync", window])
                    subprocess.run(["xdotool", "type", "--delay", "5", args.type])
                    subprocess.run(["xdotool", "key", "Return"])
                    typed = now
            if unlocked_at is None and visible_window(proc.pid, args.title):
                unlocked_at = now
            if unlocked_at is not None and now - unlocked_at > 5:
                after = memory_kb(tree(proc.pid))
                return peak, after, len(tree(proc.pid))
            if now - t0 > 90:
                sys.exit(f"no window titled {args.title!r} appeared")
            time.sleep(0.05)
    finally:
        stop(proc)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("start")
    s.add_argument("--cold", action="store_true")
    s.add_argument("cmd", nargs="+")
    m = sub.add_parser("memory")
    m.add_argument("--title", required=True)
    m.add_argument("--type")
    m.add_argument("--stdin")
    m.add_argument("cmd", nargs="+")
    args = parser.parse_args()
    if args.what == "start":
        print(f"{start(args):.3f}")
    else:
        (pss, rss), (pss_after, rss_after), procs = memory(args)
        print(f"{pss // 1024} {rss // 1024} {pss_after // 1024} {rss_after // 1024} {procs}")


if __name__ == "__main__":
    main()
