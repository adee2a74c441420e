#!/usr/bin/python3
"""Fault soak of the recorder (run by releng/bench/soak.sh; see docs/benchmarks.md, "Fault soak").

A recorder (`bin/vigil run --headless`) records four cameras served by camera processes (loopcam.py, pre-encoded
loops) onto a small tmpfs volume, a live viewer watches the fourth camera, and on a schedule spread over the run
every fault is injected in turn, several times in a long run, at least once in a short one:

  camera-kill    a camera process killed (SIGKILL) and restarted after CAM_DOWN s on the same port
  camera-freeze  a camera process frozen (SIGSTOP) for FREEZE s, then resumed (SIGCONT)
  recorder-kill  the recorder killed with kill -9 and restarted
  disk-floor     a filler file takes the volume CHEAT MB below the retention floor (minFreeDiskPercent)
  catalog-lock   the catalog's SQLite write lock held for 10 s (BEGIN IMMEDIATE on catalog.db, then rollback)
  backup-cancel  `vigil backup --dest DIR` interrupted (SIGINT, as Ctrl-C) once it copies
  clock+1h/-1h   the recorder's wall clock stepped by an hour and back, through the bench clock hook
                 (-Dvigil.bench.clockOffsetFile, OffsetFileClock in org.vigil.camera); the host clock is untouched

Each fault is measured (loss or delay against its goal); at the end the cameras' timelines (every segment ever
catalogued, names mapped back through the clock offsets in effect) are checked for gaps that no fault window
explains, `vigil storage check` must be clean, catalog rows must equal the finished files on disk, and the
recorder's threads and open files must be flat (median of the first quarter against the last). Exit code 1 when a
goal is missed, 2 when the soak itself could not run.
"""
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
HERE = os.path.dirname(os.path.abspath(__file__))
PY = '/usr/bin/python3'
VIGIL = os.path.join(os.environ.get('VIGIL_HOME', os.path.join(ROOT, 'releng', 'target', 'vigil')), 'bin', 'vigil')
CLIPS = os.environ.get('SOAK_CLIPS', os.path.join(ROOT, 'releng', 'target', 'soak-clips'))
SEGMENT = int(os.environ.get('SOAK_SEGMENT', '30'))        # segment length of the cameras, s
VOLUME_MB = int(os.environ.get('SOAK_VOLUME_MB', '512'))    # the recordings volume (tmpfs)
CHEAT_MB = 20                                               # the filler goes this far below the floor
RESERVE_MB = 256                                            # org.vigil.retention reserveMb: recording pauses below
# retention.minFreeDiskPercent: the product's 10 %, or on a small volume the least that keeps the floor above the
# reserve (with the filler's cheat and a margin); else the volume fault would pause recording before retention acts
MIN_FREE = max(10, -(-(RESERVE_MB + CHEAT_MB + 16) * 100 // VOLUME_MB))
CAM_DOWN = 6                                                # a killed camera stays down this long, s
FREEZE = 12                                                 # a frozen camera stays frozen this long, s
LOCK_HOLD = 10                                              # the catalog's write lock is held this long, s
CLOCK_HOLD = 40                                             # the clock stays an hour off this long, s
# the camera engine's values (org.vigil.api.camera.CameraConfig defaults, Backoff): reported and used by the goals
WATCHDOG = 5.0
RECONNECT_MIN, RECONNECT_MAX, JITTER = 1.0, 30.0, 0.2
GAP_TOLERANCE = 1.0                                         # a hole in a timeline shorter than this is no gap, s
FAULTS = ['camera-kill', 'camera-freeze', 'recorder-kill', 'disk-floor', 'catalog-lock', 'backup-cancel',
          'clock+1h', 'clock-1h']
ROUND_BUDGET = 270                                          # seconds one round of every fault needs at most

# the four cameras: id -> (mounts of its process: mount=clip, recorded mount, sub-stream mount or None)
CAMERAS = {
    'h264aac': (['/main=h264aac.mkv'], '/main', None),
    'h265': (['/main=h265.mkv'], '/main', None),
    'mjpeg': (['/main=mjpeg.mkv'], '/main', None),
    'substream': (['/main=main720.mkv', '/sub=sub.mkv'], '/main', '/sub'),
}
# clip name -> gst-launch description writing it (10 s, a whole number of 2 s GOPs, starting with a keyframe)
PIC = 'videotestsrc num-buffers={n} pattern=ball ! video/x-raw,width={w},height={h},framerate={fps}/1 ! timeoverlay ' \
      '! videoconvert ! video/x-raw,format=I420'
CLIP_RECIPES = {
    'h264aac.mkv': PIC.format(n=250, w=1920, h=1080, fps=25)
    + ' ! x264enc speed-preset=ultrafast key-int-max=50 bitrate=2000 ! video/x-h264,profile=baseline ! h264parse'
    ' ! queue ! mux. audiotestsrc num-buffers=470 wave=ticks ! audio/x-raw,rate=48000,channels=1'
    ' ! avenc_aac bitrate=64000 ! aacparse ! queue ! mux. matroskamux name=mux',
    'h265.mkv': PIC.format(n=250, w=1920, h=1080, fps=25)
    + ' ! x265enc speed-preset=ultrafast key-int-max=50 bitrate=1500 ! h265parse ! matroskamux',
    'mjpeg.mkv': PIC.format(n=100, w=640, h=360, fps=10) + ' ! jpegenc quality=50 ! jpegparse ! matroskamux',
    'main720.mkv': PIC.format(n=250, w=1280, h=720, fps=25)
    + ' ! x264enc speed-preset=ultrafast key-int-max=50 bitrate=1200 ! video/x-h264,profile=baseline ! h264parse'
    ' ! matroskamux',
    'sub.mkv': PIC.format(n=250, w=640, h=360, fps=25)
    + ' ! x264enc speed-preset=ultrafast key-int-max=50 bitrate=300 ! video/x-h264,profile=baseline ! h264parse'
    ' ! matroskamux',
}

T0 = time.time()
LOG_LINE = re.compile(r'^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) (\w+)\s+\[(\w+)\] (.*)$')
STATE_LINE = re.compile(r'^Camera ([a-z0-9_-]+): ([A-Z]+)(?:\.|: (.*))$')


def say(msg):
    print(f'[soak {fmt_elapsed(time.time() - T0)}] {msg}', flush=True)


def fmt_elapsed(s):
    return f'{int(s // 60):02d}:{int(s % 60):02d}'


def iso(t):
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec='milliseconds')


def parse_instant(s):
    return datetime.fromisoformat(s.replace('Z', '+00:00')).timestamp()


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Soak:
    def __init__(self, minutes):
        self.minutes = minutes
        self.work = tempfile.mkdtemp(prefix='vigil-soak.')
        self.data = os.path.join(self.work, 'data')
        self.vol = os.path.join(self.work, 'volume')
        self.rec_root = os.path.join(self.vol, 'recordings')
        self.offset_file = os.path.join(self.work, 'clock-offset')
        self.mounted = False
        self.cams = {}              # id -> {'port', 'proc', 'frozen'}
        self.recorder = None
        self.recorder_logs = []
        self.instances = 0
        self.stop_event = threading.Event()
        # commands wait while the recorder (re)starts: a one-shot command racing a starting recorder for the data
        # directory's lock is a known launcher defect (issue 13, item 2) that the soak must not trip over
        self.recorder_up = threading.Event()
        self.threads = []
        self.lock = threading.Lock()
        self.events = []            # (t, camera, state, reason) from the recorder's log
        self.log_pos = {}
        self.samples = []           # (t, pid, threads, fds, rss_kb)
        self.segments = {}          # (camera, start) -> segment dict (every segment ever catalogued)
        self.offsets = [(0.0, 0)]   # (t, offset ms) in effect from t
        self.windows = []           # (camera or None, t0, t1, fault): gaps inside are explained
        self.results = {f: [] for f in FAULTS}  # fault -> [dict(value, goal, ok, note)]
        self.notes = []
        self.fault_now = '-'
        self.faults_done = 0
        self.faults_total = 0
        self.backup_procs = []
        self.viewer = None
        self.filler = os.path.join(self.vol, 'filler')

    # ---- processes ----

    def vigil(self, *args, timeout=60, check=False):
        p = subprocess.run([VIGIL, *args, '--data', self.data], capture_output=True, text=True, timeout=timeout)
        if check and p.returncode != 0:
            raise RuntimeError(f'vigil {" ".join(args)} failed ({p.returncode}): {p.stderr.strip() or p.stdout.strip()}')
        return p

    def start_camera(self, cam):
        """Starts (or restarts) a camera process on its port; returns once it listens (its new 'READY' line)."""
        mounts, _, _ = CAMERAS[cam]
        port = self.cams[cam]['port']
        path = os.path.join(self.work, f'camera-{cam}.log')
        start = os.path.getsize(path) if os.path.exists(path) else 0
        log = open(path, 'a')
        proc = subprocess.Popen([PY, os.path.join(HERE, 'loopcam.py'), str(port)]
                                + [m.split('=')[0] + '=' + os.path.join(CLIPS, m.split('=')[1]) for m in mounts],
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.time() + 60
        while True:
            with open(path) as f:
                f.seek(start)
                if f'READY {port}' in f.read().splitlines():
                    break
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                raise RuntimeError(f'the camera process {cam} did not start: see {path}')
            time.sleep(0.05)
        self.cams[cam]['proc'] = proc
        self.cams[cam]['frozen'] = False

    def start_recorder(self):
        self.recorder_up.clear()
        self.instances += 1
        path = os.path.join(self.work, f'recorder-{self.instances}.log')
        env = dict(os.environ)
        env['VIGIL_JAVA_OPTS'] = (env.get('VIGIL_JAVA_OPTS', '') + f' -Dvigil.bench.clockOffsetFile={self.offset_file}').strip()
        env.pop('VIGIL_DATA', None)
        out = open(path, 'w')
        self.recorder = subprocess.Popen([VIGIL, 'run', '--headless', '--data', self.data], stdout=out,
                                         stderr=subprocess.STDOUT, env=env, start_new_session=True)
        out.close()
        with self.lock:
            self.recorder_logs.append(path)
        started = time.time()
        deadline = started + 120
        while time.time() < deadline:
            if self.recorder.poll() is not None:
                raise RuntimeError(f'the recorder exited ({self.recorder.returncode}) while starting: see {path}')
            with open(path) as f:
                if ' is ready in ' in f.read():
                    self.recorder_up.set()
                    return time.time() - started
            time.sleep(0.2)
        raise RuntimeError(f'the recorder was not ready within 120 s: see {path}')

    def stop_recorder(self, sig=signal.SIGTERM, wait=60):
        self.recorder_up.clear()
        p, self.recorder = self.recorder, None
        if p is None or p.poll() is not None:
            return
        p.send_signal(sig)
        try:
            p.wait(wait)
        except subprocess.TimeoutExpired:
            self.notes.append(f'the recorder did not stop within {wait} s of {sig.name}; killed')
            p.kill()
            p.wait()

    # ---- watchers ----

    def follow_logs(self):
        """Reads the recorders' logs as they grow: camera state changes with their times."""
        while not self.stop_event.is_set():
            self.read_logs()
            self.stop_event.wait(0.3)

    def read_logs(self):
        with self.lock:
            paths = list(self.recorder_logs)
        for path in paths:
            pos = self.log_pos.get(path, 0)
            try:
                with open(path, errors='replace') as f:
                    f.seek(pos)
                    chunk = f.read()
            except OSError:
                continue
            end = chunk.rfind('\n')
            if end < 0:
                continue
            self.log_pos[path] = pos + len(chunk[:end + 1].encode('utf-8', errors='replace'))
            for line in chunk[:end].splitlines():
                m = LOG_LINE.match(line)
                if not m:
                    continue
                t = datetime.strptime(m.group(1), '%Y-%m-%d %H:%M:%S.%f').timestamp()
                s = STATE_LINE.match(m.group(4))
                if s and s.group(2) in ('DISABLED', 'CONNECTING', 'RECORDING', 'STREAMING', 'RECONNECTING',
                                        'OFFLINE'):
                    with self.lock:
                        self.events.append((t, s.group(1), s.group(2), s.group(3) or ''))

    def state_events(self, cam=None, since=0.0, state=None):
        self.read_logs()
        with self.lock:
            return [e for e in self.events if e[0] >= since and (cam is None or e[1] == cam)
                    and (state is None or e[2] == state)]

    def current_state(self, cam):
        ev = self.state_events(cam)
        return ev[-1][2] if ev else None

    def wait_state(self, cam, state, since, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            ev = self.state_events(cam, since, state)
            if ev:
                return ev[0][0]
            time.sleep(0.2)
        return None

    def log_times(self, pattern, since, until):
        """Times of the recorders' log messages matching pattern, between since and until."""
        out = []
        for path in list(self.recorder_logs):
            with open(path, errors='replace') as f:
                for line in f:
                    m = LOG_LINE.match(line.rstrip('\n'))
                    if m and pattern.search(m.group(4)):
                        t = datetime.strptime(m.group(1), '%Y-%m-%d %H:%M:%S.%f').timestamp()
                        if since <= t <= until:
                            out.append(t)
        return sorted(out)

    def sample_process(self):
        while not self.stop_event.is_set():
            p = self.recorder
            if p is not None and p.poll() is None:
                try:
                    threads = len(os.listdir(f'/proc/{p.pid}/task'))
                    fds = len(os.listdir(f'/proc/{p.pid}/fd'))
                    with open(f'/proc/{p.pid}/status') as f:
                        rss = int(re.search(r'VmRSS:\s+(\d+)', f.read()).group(1))
                    steady = self.fault_now == '-' and all(self.current_state(c) == 'RECORDING' for c in CAMERAS)
                    with self.lock:
                        self.samples.append((time.time(), p.pid, threads, fds, rss, steady))
                except (OSError, AttributeError):
                    pass
            self.stop_event.wait(5)

    def poll_catalog(self):
        while not self.stop_event.is_set():
            try:
                if self.recorder_up.is_set():
                    self.read_catalog()
            except Exception as e:  # the recorder may be down for a moment (kill -9)
                pass
            self.stop_event.wait(20)

    def read_catalog(self):
        """Every catalogued segment, page by page; kept in self.segments (retention may delete them later)."""
        rows, after = [], None
        while True:
            args = ['recordings', 'list', '--limit', '1000', '--json'] + (['--after', after] if after else [])
            p = self.vigil(*args, timeout=60)
            if p.returncode != 0:
                raise RuntimeError(p.stderr.strip())
            page = json.loads(p.stdout)
            rows.extend(page['segments'])
            after = page.get('next')
            if not after:
                break
        with self.lock:
            for r in rows:
                self.segments[(r['camera'], r['start'])] = r
        return rows

    def progress(self):
        while not self.stop_event.wait(60):
            states = [self.current_state(c) for c in CAMERAS]
            rec = sum(1 for s in states if s == 'RECORDING')
            with self.lock:
                last = self.samples[-1] if self.samples else None
                segs = len(self.segments)
            try:
                st = os.statvfs(self.vol)
                free = st.f_bavail * st.f_frsize // (1 << 20)
            except OSError:
                free = -1
            say(f'fault {self.faults_done}/{self.faults_total} ({self.fault_now}); cameras recording {rec}/4; '
                f'segments seen {segs}; volume free {free} MB'
                + (f'; recorder {last[2]} threads, {last[3]} files, {last[4] // 1024} MB RSS' if last else ''))

    def viewer_loop(self):
        """A live viewer of the sub-stream camera, 60 s at a time, again as soon as it ends (also across restarts)."""
        while not self.stop_event.is_set():
            if not self.recorder_up.wait(1):
                continue
            self.viewer = subprocess.Popen([VIGIL, 'camera', 'live', 'substream', '--seconds', '60', '--data',
                                            self.data], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                           start_new_session=True)
            while self.viewer.poll() is None and not self.stop_event.is_set():
                time.sleep(0.5)
            if self.viewer.poll() is None:
                self.viewer.send_signal(signal.SIGINT)
                try:
                    self.viewer.wait(10)
                except subprocess.TimeoutExpired:
                    self.viewer.kill()
                    self.viewer.wait()
            self.stop_event.wait(1)

    def spawn(self, fn):
        t = threading.Thread(target=fn, daemon=True, name=fn.__name__)
        t.start()
        self.threads.append(t)

    # ---- set-up ----

    def make_clips(self):
        os.makedirs(CLIPS, exist_ok=True)
        for name, recipe in CLIP_RECIPES.items():
            path = os.path.join(CLIPS, name)
            if os.path.exists(path):
                continue
            say(f'encoding the clip {name} (once; kept in {CLIPS})')
            tmp = path + '.part'
            subprocess.run(['gst-launch-1.0', '-q', *recipe.split(), '!', 'filesink', f'location={tmp}'],
                           check=True, capture_output=True)
            os.rename(tmp, path)

    def setup(self):
        self.make_clips()
        os.makedirs(self.vol)
        subprocess.run(['mount', '-t', 'tmpfs', '-o', f'size={VOLUME_MB}m', 'vigil-soak', self.vol], check=True)
        self.mounted = True
        os.makedirs(self.rec_root)
        with open(self.offset_file, 'w') as f:
            f.write('0\n')
        for cam in CAMERAS:
            self.cams[cam] = {'port': free_port()}
            self.start_camera(cam)
        self.vigil('config', 'set', f'recording.recordingsRoot={self.rec_root}',
                   f'retention.minFreeDiskPercent={MIN_FREE}', check=True)
        self.vigil('storage', 'adopt', '--yes', check=True)   # the fresh tmpfs becomes the recordings volume
        ready = self.start_recorder()
        say(f'recorder ready in {ready:.1f} s (PID {self.recorder.pid}); work folder {self.work}')
        for cam, (_, main, sub) in CAMERAS.items():
            port = self.cams[cam]['port']
            args = ['camera', 'add', cam, f'rtsp://127.0.0.1:{port}{main}', '--segment', str(SEGMENT)]
            if sub:
                args += ['--sub-url', f'rtsp://127.0.0.1:{port}{sub}']
            self.vigil(*args, check=True)
        for cam in CAMERAS:
            if self.wait_state(cam, 'RECORDING', 0, 60) is None:
                raise RuntimeError(f'camera {cam} is not recording within 60 s: see {self.recorder_logs[-1]}')
        say('4 cameras recording')
        for fn in (self.follow_logs, self.sample_process, self.poll_catalog, self.progress, self.viewer_loop):
            self.spawn(fn)

    # ---- faults ----

    def record(self, fault, value, goal, ok, note=''):
        self.results[fault].append({'value': value, 'goal': goal, 'ok': ok, 'note': note})
        say(f'{fault}: {value if value is not None else "-"} (goal {goal}) {"ok" if ok else "MISSED"}'
            + (f'; {note}' if note else ''))

    def window(self, cam, t0, t1, fault):
        self.windows.append((cam, t0, t1, fault))

    def camera_kill(self, n):
        cam = list(CAMERAS)[n % 4]
        c = self.cams[cam]
        t_kill = time.time()
        c['proc'].kill()
        c['proc'].wait()
        time.sleep(CAM_DOWN)
        self.start_camera(cam)
        t_back = time.time()
        t_rec = self.wait_state(cam, 'RECORDING', t_back - 0.5, 90)
        # the wait pending when the camera came back: the one scheduled after the last failed attempt; after n
        # failed attempts (each logged by the session as 'error from'), min * 2^n, at most max, +20 % jitter
        # (counted after the loss itself was published: an error line of the lost stream is no attempt)
        lost = self.state_events(cam, t_kill, 'RECONNECTING')
        failed = self.log_times(re.compile(rf'^camera-{re.escape(cam)}-main-\d+: error from '),
                                (lost[0][0] if lost else t_kill) + 0.001, t_rec or time.time())
        bound = (1 + JITTER) * min(RECONNECT_MIN * 2 ** len(failed), RECONNECT_MAX) + 1.0
        self.window(cam, t_kill - 1, (t_rec or time.time()) + 1, 'camera-kill')
        delay = None if t_rec is None else max(0.0, t_rec - t_back)
        self.record('camera-kill', None if delay is None else round(delay, 1), f'<= {bound:.1f} s',
                    delay is not None and delay <= bound,
                    f'{cam}, down {t_back - t_kill:.1f} s, {len(failed)} failed attempts: '
                    + ', '.join(f'{t - t_kill:.1f}' for t in failed) + ' s after the kill')

    def camera_freeze(self, n):
        cam = list(CAMERAS)[(n + 1) % 4]
        c = self.cams[cam]
        t_stop = time.time()
        os.kill(c['proc'].pid, signal.SIGSTOP)
        c['frozen'] = True
        found = self.wait_state(cam, 'RECONNECTING', t_stop, FREEZE)
        rest = FREEZE - (time.time() - t_stop)
        if rest > 0:
            time.sleep(rest)
        os.kill(c['proc'].pid, signal.SIGCONT)
        c['frozen'] = False
        t_cont = time.time()
        t_rec = self.wait_state(cam, 'RECORDING', t_cont - 0.5, 90)
        self.window(cam, t_stop - 1, (t_rec or time.time()) + 1, 'camera-freeze')
        delay = None if found is None else round(found - t_stop, 1)
        back = 'never back' if t_rec is None else f'recording again {t_rec - t_cont:.1f} s after SIGCONT'
        self.record('camera-freeze', delay, f'<= {WATCHDOG + 1:.0f} s', delay is not None and delay <= WATCHDOG + 1,
                    f'{cam}; {back}')
        if t_rec is None:
            self.notes.append(f'camera {cam} did not record again within 90 s of SIGCONT')

    def recorder_kill(self, n):
        t_kill = time.time()
        pid = self.recorder.pid
        self.recorder_up.clear()
        self.recorder.send_signal(signal.SIGKILL)
        self.recorder.wait()
        self.recorder = None
        ready = self.start_recorder()
        t_ready = time.time()
        recs = {cam: self.wait_state(cam, 'RECORDING', t_ready - ready, 60) for cam in CAMERAS}
        # what each camera lost: the kill time against the end of the segment that was being written (recovered by
        # the restart), from the file itself (ffprobe) when it is still there
        deadline = time.time() + 60
        losses = {}
        while time.time() < deadline and len(losses) < len(CAMERAS):
            try:
                rows = self.read_catalog()
            except Exception:
                time.sleep(1)
                continue
            off = self.offset_at(t_kill)
            for cam in CAMERAS:
                if cam in losses:
                    continue
                mine = [r for r in rows if r['camera'] == cam and parse_instant(r['start']) - off / 1000 < t_kill]
                if not mine:
                    continue
                last = max(mine, key=lambda r: parse_instant(r['start']))
                start = parse_instant(last['start']) - off / 1000
                # a recovered row starts at its file name's whole second; the segment really began at the end of
                # the camera's previous segment (same session) or, first of a session, when it began recording
                if start == int(start):
                    prev = [parse_instant(r['end']) - off / 1000 for r in rows if r['camera'] == cam and r is not last]
                    prev = [e for e in prev if start <= e < start + 1]
                    began = [e[0] for e in self.state_events(cam, start, 'RECORDING') if e[0] < start + 1]
                    start = max(prev) if prev else (began[0] if began else start)
                end = start + probe_duration(last['path'], last['duration_ms'])
                if end >= t_kill - SEGMENT:     # the recovered segment of the moment of the kill
                    losses[cam] = max(0.0, t_kill - end)
            if len(losses) < len(CAMERAS):
                time.sleep(1)
        resumed = [t for t in recs.values() if t is not None]
        self.window(None, t_kill - 1, (max(resumed) if len(resumed) == len(CAMERAS) else time.time()) + 1,
                    'recorder-kill')
        worst = max(losses.values()) if losses else None
        missing = [c for c in CAMERAS if c not in losses]
        self.record('recorder-kill', None if worst is None else round(worst, 2), '<= 1 s',
                    worst is not None and worst <= 1.0 and not missing,
                    f'PID {pid}; ready again in {ready:.1f} s; recording again after '
                    + (f'{max(resumed) - t_kill:.1f} s' if len(resumed) == len(CAMERAS) else 'never (some cameras)')
                    + (f'; no recovered segment for {", ".join(missing)}' if missing else '')
                    + '; per camera ' + ', '.join(f'{c} {v:.2f}' for c, v in losses.items()))

    def disk_floor(self, n):
        st = os.statvfs(self.vol)
        total = st.f_blocks * st.f_frsize
        free = st.f_bavail * st.f_frsize
        floor = total * MIN_FREE / 100
        fill = int(free - floor + CHEAT_MB * (1 << 20))
        if fill <= 0:
            fill = 1 << 20
        t0 = time.time()
        fd = os.open(self.filler, os.O_CREAT | os.O_WRONLY)
        try:
            os.posix_fallocate(fd, 0, fill)
        except OSError as e:
            self.notes.append(f'the filler could not take {fill >> 20} MB: {e}')
        finally:
            os.close(fd)
        lowest, restored = None, None
        while time.time() - t0 < 30:
            st = os.statvfs(self.vol)
            f = st.f_bavail * st.f_frsize
            lowest = f if lowest is None else min(lowest, f)
            if restored is None and f >= floor:
                restored = time.time() - t0
            time.sleep(0.5)
        left = [e for e in self.state_events(since=t0) if e[2] != 'RECORDING']
        alive = self.recorder is not None and self.recorder.poll() is None
        os.unlink(self.filler)
        self.window(None, t0 - 1, time.time() + 5, 'disk-floor')   # a pause shows in this row, not as a gap
        ok = restored is not None and restored <= 15 and not left and alive
        self.record('disk-floor', None if restored is None else round(restored, 1),
                    'floor back <= 15 s, cameras recording', ok,
                    f'floor {floor / (1 << 20):.0f} MB, filler {fill >> 20} MB, lowest free {lowest / (1 << 20):.0f} MB'
                    + (f'; camera states left RECORDING: {[(e[1], e[2]) for e in left]}' if left else '')
                    + ('' if alive else '; the recorder stopped'))

    def catalog_lock(self, n):
        db = os.path.join(self.data, 'catalog.db')
        # taken when a camera's segment is due to close 2-6 s later, so that the hold blocks its row (the next
        # close: the newest row's end, which is the current segment's start, + the segment length + ~1 s to the
        # keyframe); at most 40 s of waiting for that moment
        deadline = time.time() + 40
        while time.time() < deadline:
            try:
                ends = {}
                for r in self.read_catalog():
                    e = parse_instant(r['end'])
                    if e < time.time() + 5:     # not a segment named an hour ahead by a clock step
                        ends[r['camera']] = max(ends.get(r['camera'], 0), e)
                soonest = min(e + SEGMENT + 1 - time.time() for e in ends.values())
                if 2 <= soonest <= 6:
                    break
            except Exception:
                pass
            time.sleep(0.5)
        con = sqlite3.connect(db, timeout=20, isolation_level=None)
        try:
            t_wait = time.time()
            con.execute('BEGIN IMMEDIATE')
            t0 = time.time()
            time.sleep(LOCK_HOLD)
            # the catalog as readers see it just before the release (WAL: reads pass the write lock)
            try:
                before = {r['path'] for r in self.read_catalog()}
            except Exception:
                before = None
            con.execute('ROLLBACK')
        except sqlite3.OperationalError as e:
            self.record('catalog-lock', None, 'rows caught up <= 15 s after release, cameras recording', False,
                        f'the write lock could not be taken within 20 s: {e}')
            return
        finally:
            con.close()
        t1 = time.time()
        # the files finished by the time the lock was released (all but each camera's newest, which is being
        # written) must all get their rows; the delay is measured from the release
        finished = set()
        for cam in CAMERAS:
            folder = os.path.join(self.rec_root, cam)
            mine = sorted((f for f in tree_files(folder) if f.endswith(('.mp4', '.mkv'))), key=os.path.getmtime)
            finished.update(mine[:-1])
        blocked = None if before is None else len(finished - before)
        pending, caught_up = set(finished), None
        while time.time() < t1 + 60:
            try:
                rows = self.read_catalog()
            except Exception:
                time.sleep(1)
                continue
            pending = {f for f in finished if os.path.exists(f)} - {r['path'] for r in rows}
            if not pending:
                caught_up = time.time() - t1
                break
            time.sleep(0.5)
        left = [e for e in self.state_events(since=t0) if e[2] != 'RECORDING']
        ok = caught_up is not None and caught_up <= 15 and not left
        self.record('catalog-lock', None if caught_up is None else round(caught_up, 1),
                    'rows caught up <= 15 s after release, cameras recording', ok,
                    f'lock taken after {t0 - t_wait:.1f} s; '
                    f'{"?" if blocked is None else blocked} segments finished while it was held'
                    + (f'; not catalogued within 60 s: {sorted(pending)[:4]}' if pending else '')
                    + (f'; camera states: {[(e[1], e[2]) for e in left]}' if left else ''))

    def backup_cancel(self, n):
        dest = os.path.join(self.work, f'backup-{n}')
        os.makedirs(dest)
        t0 = time.time()
        p = subprocess.Popen([VIGIL, 'backup', '--dest', dest, '--data', self.data], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.backup_procs.append(p)
        # interrupted once it copies (a .part file or a finished copy in DEST), at most 20 s after the start
        while time.time() - t0 < 20 and p.poll() is None and not tree_files(dest):
            time.sleep(0.05)
        if p.poll() is not None:
            out, err = p.communicate()
            self.record('backup-cancel', None, 'stopped <= 5 s, no .part', False,
                        f'the backup ended before it could be cancelled (exit {p.returncode}): {err.strip()[-200:]}')
            return
        t_int = time.time()
        p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
        t_exit = time.time()
        at_int = {f for f in tree_files(dest) if not f.endswith('.part')}
        # the job has stopped when DEST no longer changes for 3 s; at most 60 s
        last_change, snap = time.time(), tree_snapshot(dest)
        while time.time() - last_change < 3 and time.time() - t_int < 60:
            time.sleep(0.25)
            s = tree_snapshot(dest)
            if s != snap:
                snap, last_change = s, time.time()
        stopped = last_change - t_int
        final = {f for f in tree_files(dest) if not f.endswith('.part')}
        parts = [f for f in tree_files(dest) if f.endswith('.part')]
        # the file in hand at the interrupt may be finished (lifecycle rule 2); any other new copy means the job
        # ran on without its client
        copied_after = len([f for f in final - at_int if f.endswith(('.mp4', '.mkv'))])
        ok = stopped <= 5 and not parts and copied_after <= 1
        self.record('backup-cancel', round(stopped, 1), 'stopped <= 5 s, <= 1 copy after, no .part', ok,
                    f'client exited {t_exit - t_int:.1f} s after SIGINT (exit {p.returncode}); '
                    f'{copied_after} recordings copied after it, {len(parts)} .part files left')

    def clock_step(self, fault, ms):
        t0 = time.time()
        with open(self.offset_file + '.tmp', 'w') as f:
            f.write(f'{ms}\n')
        os.replace(self.offset_file + '.tmp', self.offset_file)
        with self.lock:
            self.offsets.append((t0, ms))
        # each camera cuts its segment at the next keyframe and names the next one by the new time
        deadline = t0 + 20
        seen = {}
        while time.time() < deadline and len(seen) < len(CAMERAS):
            for path in list(self.recorder_logs):
                with open(path, errors='replace') as f:
                    for line in f:
                        m = LOG_LINE.match(line.rstrip('\n'))
                        if m and 'the wall clock moved by' in m.group(4):
                            t = datetime.strptime(m.group(1), '%Y-%m-%d %H:%M:%S.%f').timestamp()
                            cam = m.group(4).split()[1].rstrip(':')
                            if t >= t0 - 0.1 and cam not in seen:
                                seen[cam] = t - t0
            time.sleep(0.5)
        # no fault window: a step of the clock must lose nothing, so a hole at the step counts as an unexplained gap
        worst = max(seen.values()) if len(seen) == len(CAMERAS) else None
        self.record(fault, None if worst is None else round(worst, 1), '<= 3 s (read <= 1 s + tick 0.5 s + 1 s)',
                    worst is not None and worst <= 3.0,
                    'seen by ' + ', '.join(f'{c} {v:.1f} s' for c, v in sorted(seen.items()))
                    + ('' if len(seen) == len(CAMERAS) else f'; not seen by {sorted(set(CAMERAS) - set(seen))}'))

    def offset_at(self, t):
        with self.lock:
            o = 0
            for since, ms in self.offsets:
                if since <= t:
                    o = ms
            return o

    # ---- the run ----

    def run(self):
        self.setup()
        self.t_start = time.time()
        total = self.minutes * 60
        warmup = 60                                       # recordings exist for retention to delete
        cooldown = 40
        rounds = max(1, int((total - warmup - cooldown) // ROUND_BUDGET))
        plan = []
        for r in range(rounds):
            for f in FAULTS:
                plan.append((r, f))
        self.faults_total = len(plan)
        slot = max(0.0, (total - warmup - cooldown) / len(plan))
        say(f'{rounds} round(s) of {len(FAULTS)} faults, one every {slot:.0f} s (a fault may overrun its slot)')
        self.stop_event.wait(warmup)
        start = time.time()
        for i, (r, fault) in enumerate(plan):
            at = start + i * slot
            if time.time() < at:
                time.sleep(at - time.time())
            self.fault_now = fault
            say(f'fault {i + 1}/{len(plan)}: {fault} (round {r + 1})')
            if fault == 'camera-kill':
                self.camera_kill(r)
            elif fault == 'camera-freeze':
                self.camera_freeze(r)
            elif fault == 'recorder-kill':
                self.recorder_kill(r)
            elif fault == 'disk-floor':
                self.disk_floor(r)
            elif fault == 'catalog-lock':
                self.catalog_lock(r)
            elif fault == 'backup-cancel':
                self.backup_cancel(r)
            elif fault == 'clock+1h':
                self.clock_step(fault, 3_600_000)
                time.sleep(CLOCK_HOLD)
            elif fault == 'clock-1h':
                self.clock_step(fault, 0)
            self.faults_done = i + 1
            self.fault_now = '-'
            time.sleep(5)
        rest = self.t_start + total - time.time()
        if rest > 0:
            say(f'all faults done; recording on for {rest:.0f} s')
            time.sleep(rest)
        return self.finish()

    def finish(self):
        ok = True
        not_recording = [c for c in CAMERAS if self.current_state(c) != 'RECORDING']
        # the catalog (while recording) against the files on disk: every finished file has its row; the files
        # being written (one per camera, no row yet) are the only others
        rows = list({r['path']: r for r in self.read_catalog()}.values())
        check = self.vigil('storage', 'check', '--json', timeout=120)
        try:
            cj = json.loads(check.stdout)
        except ValueError:
            cj = {'problems_found': True, 'details': [check.stderr.strip()]}
        files = []
        for d, _, fs in os.walk(self.rec_root):
            files += [os.path.join(d, f) for f in fs if f.endswith(('.mp4', '.mkv'))]
        row_paths = {r['path'] for r in rows}
        unlisted = [f for f in files if f not in row_paths]
        newest = {}
        for f in files:
            cam = os.path.relpath(f, self.rec_root).split(os.sep)[0]
            if cam not in newest or os.path.getmtime(f) > os.path.getmtime(newest[cam]):
                newest[cam] = f
        writing = [f for f in unlisted if f in newest.values()]
        orphans = [f for f in unlisted if f not in writing]
        vanished = [r['path'] for r in rows if not os.path.exists(r['path'])]
        with open(os.path.join(self.work, 'catalog-at-end.json'), 'w') as f:
            json.dump(rows, f, indent=1)
        with open(os.path.join(self.work, 'files-at-end.txt'), 'w') as f:
            f.write('\n'.join(sorted(files)) + '\n')
        self.stop_event.set()
        for t in self.threads:
            t.join(70)
        samples = list(self.samples)
        segs = self.timelines()
        # a clean stop (SIGTERM) must leave every segment catalogued: the cameras finish and announce theirs before
        # storage stops (issue 13, item 4); checked without a recorder, by a one-shot command
        t_stop = time.time()
        self.stop_recorder()
        stopped_in = time.time() - t_stop
        after = self.vigil('storage', 'check', '--json', timeout=120)
        try:
            aj = json.loads(after.stdout)
        except ValueError:
            aj = {'problems_found': True, 'details': [after.stderr.strip() or after.stdout.strip()]}
        aj['stopped_in'] = stopped_in
        return self.report(not_recording, rows, files, writing, orphans, vanished, cj, samples, segs, aj)

    def timelines(self):
        """Each camera's recorded spans in real time (names mapped back through the clock offsets), and the gaps
        between them that no fault window explains."""
        with self.lock:
            segs = list(self.segments.values())
        with self.lock:
            steps = sorted(self.offsets)
        now = time.time()
        spans_of = [(t, steps[i + 1][0] if i + 1 < len(steps) else now, o) for i, (t, o) in enumerate(steps)]
        by_cam = {}
        for r in segs:
            named = parse_instant(r['start'])
            # the offset in effect when the segment began: the one that puts its start into a span of time in which
            # that offset was in use (3 s of slack: the offset file is read at most once a second)
            start = named
            for since, until, o in spans_of:
                t = named - o / 1000
                if since - 3 <= t <= until + 3:
                    start = t
                    break
            by_cam.setdefault(r['camera'], []).append((start, start + r['duration_ms'] / 1000, r))
        gaps = []
        for cam, spans in by_cam.items():
            spans.sort(key=lambda s: s[0])
            end = spans[0][1]
            for s, e, r in spans[1:]:
                if s - end > GAP_TOLERANCE:
                    explained = [w for w in self.windows if (w[0] in (None, cam)) and w[1] <= end + 0.5
                                 and s - 0.5 <= w[2]]
                    if not explained:
                        gaps.append((cam, end, s))
                end = max(end, e)
        return by_cam, gaps

    def report(self, not_recording, rows, files, writing, orphans, vanished, cj, samples, segs, aj):
        by_cam, gaps = segs
        ok = True
        lines = [f'Fault soak: {self.minutes} min, 4 cameras (H.264 1080p25 + AAC, H.265 1080p25, MJPEG 640x360 10 fps, '
                 f'H.264 720p25 + 640x360 sub-stream with a live viewer), segments {SEGMENT} s, '
                 f'{VOLUME_MB} MB tmpfs volume, retention floor {MIN_FREE} %; {os.cpu_count()} cores, '
                 f'load {os.getloadavg()[0]:.1f} at the end',
                 f'camera engine: watchdog {WATCHDOG:.0f} s, reconnect {RECONNECT_MIN:.0f} s doubling to '
                 f'{RECONNECT_MAX:.0f} s +/- {JITTER * 100:.0f} %',
                 '',
                 f'{"fault":<15} {"times":>5} {"worst":>7} {"median":>7}  {"goal":<48} result']
        for f in FAULTS:
            rs = self.results[f]
            vals = [r['value'] for r in rs if r['value'] is not None]
            good = bool(rs) and all(r['ok'] for r in rs)
            ok &= good
            goal = rs[0]['goal'] if rs else ''
            if f == 'camera-kill' and rs:
                goal = 'reconnect <= pending backoff + 1 s'
            lines.append(f'{f:<15} {len(rs):>5} {fmt(max(vals) if vals else None):>7} '
                         f'{fmt(statistics.median(vals) if vals else None):>7}  {goal:<48} '
                         f'{"ok" if good else ("NOT RUN" if not rs else "MISSED")}')
        lines.append('(camera-kill: s from the camera\'s return to RECORDING; camera-freeze: s from SIGSTOP to '
                     'RECONNECTING; recorder-kill: s of recording lost at the kill; disk-floor: s until free space '
                     'is back above the floor; catalog-lock: s after release until the rows caught up; '
                     'backup-cancel: s from SIGINT until the backup folder stopped changing; clock: s until every '
                     'camera cut its segment)')
        lines.append('')
        gap_ok = not gaps
        ok &= gap_ok
        total_rec = sum(sum(e - s for s, e, _ in spans) for spans in by_cam.values())
        lines.append(f'unexplained gaps (> {GAP_TOLERANCE:.0f} s outside fault windows): {len(gaps)} '
                     f'{"ok" if gap_ok else "MISSED"}; {len(self.segments)} segments, {total_rec / 60:.1f} camera-minutes')
        for cam, a, b in gaps[:10]:
            lines.append(f'  {cam}: {iso(a)} .. {iso(b)} ({b - a:.1f} s)')
        check_ok = cj.get('problems_found') is False
        ok &= check_ok
        lines.append(f'vigil storage check: {"clean" if check_ok else "PROBLEMS"} '
                     f'(files {cj.get("files_seen")}, rows {cj.get("rows_checked")}, skipped {cj.get("skipped")})'
                     + ('' if check_ok else f': {json.dumps(cj.get("details"))[:300]}'))
        rows_ok = not orphans and not vanished
        ok &= rows_ok
        lines.append(f'catalog rows = files on disk: {"ok" if rows_ok else "MISSED"} ({len(rows)} rows, '
                     f'{len(files)} files of which {len(writing)} being written, {len(orphans)} without a row, '
                     f'{len(vanished)} rows without a file)')
        for f in (orphans + vanished)[:5]:
            lines.append(f'  {f}')
        stop_ok = aj.get('problems_found') is False
        ok &= stop_ok
        lines.append(f'after a clean stop (SIGTERM, {aj["stopped_in"]:.1f} s): vigil storage check '
                     + ('clean' if stop_ok else f'NOT CLEAN: would catalogue {aj.get("catalogued")} files, remove '
                        f'{aj.get("rows_removed")} rows: {json.dumps(aj.get("details"))[:300]}'))
        rec_ok = not not_recording
        ok &= rec_ok
        lines.append(f'cameras recording at the end: {4 - len(not_recording)}/4 {"ok" if rec_ok else "MISSED"}')
        # resources of the recorder: samples taken while every camera records and no fault is under way (faults
        # and restarts change the thread count legitimately), first quarter of the run against the last
        if samples:
            mine = [s for s in samples if s[5]] or samples
            q = max(1, len(mine) // 4)
            first, last = mine[:q], mine[-q:]
            med = lambda xs, i: statistics.median(x[i] for x in xs)
            th0, th1, fd0, fd1 = med(first, 2), med(last, 2), med(first, 3), med(last, 3)
            rss0, rss1 = med(first, 4) / 1024, med(last, 4) / 1024
            flat = th1 <= th0 + max(5, th0 * 0.1) and fd1 <= fd0 + max(10, fd0 * 0.1)
            ok &= flat
            span = (mine[-1][0] - mine[0][0]) / 60
            lines.append(f'recorder threads {th0:.0f} -> {th1:.0f}, open files {fd0:.0f} -> {fd1:.0f} '
                         f'(median of the first vs the last quarter of {len(mine)} steady samples over {span:.1f} min, '
                         f'{len({s[1] for s in samples})} recorder processes): '
                         f'{"flat" if flat else "GROWING"}')
            lines.append(f'recorder RSS {rss0:.0f} MB -> {rss1:.0f} MB ({rss1 - rss0:+.0f} MB; '
                         f'highest {max(s[4] for s in samples) / 1024:.0f} MB over all instances)')
        for n in self.notes:
            lines.append(f'note: {n}')
        lines.append('')
        lines.append('RESULT: every goal met' if ok else 'RESULT: a goal was missed')
        print('\n'.join(lines), flush=True)
        with open(os.path.join(self.work, 'report.txt'), 'w') as f:
            f.write('\n'.join(lines) + '\n')
        return 0 if ok else 1

    def cleanup(self):
        self.stop_event.set()
        for p in self.backup_procs + ([self.viewer] if self.viewer else []):
            if p.poll() is None:
                p.kill()
                p.wait()
        if self.recorder is not None:
            self.stop_recorder(signal.SIGTERM, 30)
        for c in self.cams.values():
            p = c.get('proc')
            if p is not None and p.poll() is None:
                os.kill(p.pid, signal.SIGCONT)
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        for t in self.threads:
            t.join(5)
        if self.mounted:
            r = subprocess.run(['umount', self.vol], capture_output=True)
            if r.returncode != 0:
                subprocess.run(['umount', '-l', self.vol], capture_output=True)
        keep = os.environ.get('SOAK_KEEP')
        if keep:
            say(f'kept {self.work} (SOAK_KEEP)')
        else:
            shutil.rmtree(self.work, ignore_errors=True)


def fmt(v):
    return '-' if v is None else (f'{v:.2f}' if v < 10 else f'{v:.1f}')


def probe_duration(path, fallback_ms):
    """How much video the file holds: from its first video packet to the end of its last (ffprobe), which is exact
    also for a file cut short by a crash (a container's duration field may be missing or estimated there)."""
    try:
        p = subprocess.run(['ffprobe', '-v', 'error', '-select_streams', 'v:0', '-show_entries',
                            'packet=pts_time,duration_time', '-of', 'csv=p=0', path],
                           capture_output=True, text=True, timeout=60)
        first, last = None, None
        for line in p.stdout.split():
            parts = line.split(',')
            if not parts[0] or parts[0] == 'N/A':
                continue
            pts = float(parts[0])
            dur = float(parts[1]) if len(parts) > 1 and parts[1] not in ('', 'N/A') else 0.0
            first = pts if first is None else min(first, pts)
            last = pts + dur if last is None else max(last, pts + dur)
        if first is None:
            return fallback_ms / 1000
        return last - first
    except (ValueError, subprocess.TimeoutExpired, OSError):
        return fallback_ms / 1000


def tree_files(d):
    out = []
    for base, _, fs in os.walk(d):
        out += [os.path.join(base, f) for f in fs]
    return out


def tree_snapshot(d):
    snap = []
    for f in tree_files(d):
        try:
            st = os.stat(f)
            snap.append((f, st.st_size, st.st_mtime_ns))
        except OSError:
            pass
    return sorted(snap)


def main():
    if len(sys.argv) != 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 5:
        print('usage: releng/bench/soak.sh MINUTES   (at least 5; a full run is 60)', file=sys.stderr)
        return 2
    soak = Soak(int(sys.argv[1]))

    def stop(signum, _frame):
        raise KeyboardInterrupt(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return soak.run()
    except KeyboardInterrupt as e:
        say(f'interrupted ({e}); cleaning up')
        return 130
    except (RuntimeError, subprocess.CalledProcessError, OSError) as e:
        say(f'the soak could not run: {e}')
        return 2
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        soak.cleanup()


if __name__ == '__main__':
    sys.exit(main())
