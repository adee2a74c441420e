#!/usr/bin/python3
"""A camera for the fault soak: gst-rtsp-server on 127.0.0.1 in a process of its own (the soak kills, freezes and
restarts it), serving PRE-ENCODED clips in an endless loop, so that four cameras cost almost no CPU (live encoding
of four streams does not keep real time on 2 cores).

usage: loopcam.py PORT MOUNT=CLIP [MOUNT=CLIP ...]
  CLIP is a Matroska file made by clips.sh (H.264, H.265 or MJPEG video, optionally AAC audio), starting with a
  keyframe and a whole number of GOPs long. Each MOUNT (e.g. /main) serves one clip.

How the loop keeps correct timestamps: the clip's access units are read once into memory (demuxed and parsed, no
decoding); an appsrc per track pushes them again and again with timestamps that keep counting across the loop
(n-th unit of loop k: its clip time + k * clip length), and `identity sync=true` paces them in real time on the
pipeline clock. The RTP stream thus runs on without a jump, as a camera's does. Prints 'READY <port>' once it
listens."""
import sys, gi
gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0'); gi.require_version('GstApp', '1.0')
from gi.repository import Gst, GstRtspServer, GLib, GstApp  # noqa: F401 (GstApp: appsrc/appsink methods)

Gst.init(None)


def read_track(path, kind):
    """The access units of the clip's video (kind 'video') or audio track: [(bytes, pts, duration, keyframe)], caps,
    and the clip length in ns; or None when the clip has no such track."""
    p = Gst.parse_launch(f'filesrc location={path} ! matroskademux name=d')
    d = p.get_by_name('d')
    sink = Gst.ElementFactory.make('appsink')
    sink.set_property('sync', False)
    sink.set_property('emit-signals', False)
    sink.set_property('max-buffers', 0)
    p.add(sink)
    state = {}

    def pad_added(_, pad):
        name = pad.get_current_caps().get_structure(0).get_name()
        if kind == 'video' and (name.startswith('video/') or name == 'image/jpeg') and 'linked' not in state:
            parser = {'video/x-h264': 'h264parse config-interval=-1',
                      'video/x-h265': 'h265parse config-interval=-1',
                      'image/jpeg': 'jpegparse'}[name]
            caps = {'video/x-h264': 'video/x-h264,stream-format=byte-stream,alignment=au',
                    'video/x-h265': 'video/x-h265,stream-format=byte-stream,alignment=au',
                    'image/jpeg': 'image/jpeg'}[name]
        elif kind == 'audio' and name.startswith('audio/') and 'linked' not in state:
            parser, caps = 'aacparse', 'audio/mpeg,stream-format=raw'
        else:
            return
        bin_ = Gst.parse_bin_from_description(f'{parser} ! capsfilter caps="{caps}"', True)
        p.add(bin_)
        bin_.link(sink)
        bin_.sync_state_with_parent()
        pad.link(bin_.get_static_pad('sink'))
        state['linked'] = True

    d.connect('pad-added', pad_added)
    p.set_state(Gst.State.PAUSED)
    p.get_state(10 * Gst.SECOND)
    if 'linked' not in state:
        p.set_state(Gst.State.NULL)
        return None
    p.set_state(Gst.State.PLAYING)
    units, caps = [], None
    while True:
        s = sink.pull_sample()
        if s is None:
            break
        caps = s.get_caps()
        b = s.get_buffer()
        ok, info = b.map(Gst.MapFlags.READ)
        data = bytes(info.data)
        b.unmap(info)
        units.append((data, b.pts, b.duration, not b.has_flags(Gst.BufferFlags.DELTA_UNIT)))
    p.set_state(Gst.State.NULL)
    if not units:
        return None
    t0 = units[0][1]
    units = [(d_, pts - t0, dur, key) for d_, pts, dur, key in units]
    last = units[-1]
    length = last[1] + (last[2] if last[2] != Gst.CLOCK_TIME_NONE and last[2] > 0 else units[1][1] - units[0][1])
    return units, caps, length


class Loop:
    """Feeds one appsrc with a track's units forever, timestamps counting on across the loop."""

    def __init__(self, appsrc, track):
        self.src, (self.units, self.caps, self.length) = appsrc, track
        self.i, self.k = 0, 0
        appsrc.set_property('caps', self.caps)
        appsrc.set_property('format', Gst.Format.TIME)
        appsrc.set_property('is-live', True)
        appsrc.set_property('do-timestamp', False)
        appsrc.set_property('max-bytes', 4_000_000)
        appsrc.connect('need-data', self.need)

    def need(self, src, _length):
        for _ in range(8):
            data, pts, dur, key = self.units[self.i]
            b = Gst.Buffer.new_wrapped(data)
            b.pts = pts + self.k * self.length
            b.dts = b.pts
            b.duration = dur
            if not key:
                b.set_flags(Gst.BufferFlags.DELTA_UNIT)
            if src.emit('push-buffer', b) != Gst.FlowReturn.OK:
                return
            self.i += 1
            if self.i == len(self.units):
                self.i, self.k = 0, self.k + 1


def payloader(caps):
    name = caps.get_structure(0).get_name()
    return {'video/x-h264': 'rtph264pay config-interval=1', 'video/x-h265': 'rtph265pay config-interval=1',
            'image/jpeg': 'rtpjpegpay', 'audio/mpeg': 'rtpmp4gpay'}[name]


def factory(clip):
    video, audio = read_track(clip, 'video'), read_track(clip, 'audio')
    if video is None:
        raise SystemExit(f'{clip} has no video track')
    launch = (f'( appsrc name=v ! identity sync=true ! {payloader(video[1])} name=pay0 pt=96 '
              + (f' appsrc name=a ! identity sync=true ! {payloader(audio[1])} name=pay1 pt=97 ' if audio else '')
              + ')')
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch(launch)
    f.set_shared(True)

    def configure(_, media):
        el = media.get_element()
        # the need-data handlers keep the loops alive as long as the media
        Loop(el.get_by_name('v'), video)
        if audio:
            Loop(el.get_by_name('a'), audio)

    f.connect('media-configure', configure)
    return f


def main():
    port = sys.argv[1]
    server = GstRtspServer.RTSPServer(address='127.0.0.1', service=port)
    mp = server.get_mount_points()
    for arg in sys.argv[2:]:
        mount, clip = arg.split('=', 1)
        mp.add_factory(mount, factory(clip))
    if server.attach(None) == 0:
        print('FAILED to listen on', port, flush=True)
        sys.exit(1)
    print(f'READY {port}', flush=True)
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
