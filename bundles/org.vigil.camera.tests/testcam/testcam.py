#!/usr/bin/python3
"""A test camera for the camera recorder's tests: gst-rtsp-server on 127.0.0.1 in a process of its own, so that a
test can kill it (SIGKILL), freeze it (SIGSTOP) and restart it on the same port.

usage: testcam.py PORT [WIDTH HEIGHT FPS GOP [KBITS]]  (KBITS given: H.264 at a constant bit rate)
mounts: /h264 /h265 /mjpeg /h264-aac (AAC audio) /h264-pcma (A-law audio) /audio (AAC, no video)
        /resize (H.264 whose picture size flips every 3 s); on PORT+1: /h264 with user 'vigil', password 'secret'
Prints 'READY <port>' once it listens."""
import sys, gi
gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0')
from gi.repository import Gst, GstRtspServer, GLib

Gst.init(None)
port = sys.argv[1] if len(sys.argv) > 1 else '8554'
w, h, fps, gop = [int(a) for a in sys.argv[2:6]] if len(sys.argv) >= 6 else (320, 180, 25, 25)
kbits = int(sys.argv[6]) if len(sys.argv) >= 7 else 500
# with a bit rate given, H.264 is constant bit rate (filler data), like a camera set to CBR: the test picture alone
# would need far less than the benchmark's 4 Mbit/s
rate = f'bitrate={kbits} pass=cbr vbv-buf-capacity=1000 option-string=nal-hrd=cbr:filler=1' if len(sys.argv) >= 7 \
    else f'bitrate={kbits}'
pic = (f'videotestsrc is-live=true pattern=ball ! video/x-raw,width={w},height={h},framerate={fps}/1 '
       f'! timeoverlay ! videoconvert ! video/x-raw,format=I420')
x264 = f'x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} {rate} ! video/x-h264,profile=baseline ! rtph264pay name=pay0 pt=96 config-interval=1'
aac = 'audiotestsrc is-live=true wave=ticks ! audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 ! avenc_aac bitrate=64000 ! rtpmp4gpay name=pay1 pt=97'
mounts = {
    '/h264': f'{pic} ! {x264}',
    '/h265': f'{pic} ! x265enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bitrate={kbits} ! rtph265pay name=pay0 pt=96 config-interval=1',
    '/mjpeg': f'{pic} ! jpegenc quality=60 ! rtpjpegpay name=pay0 pt=26',
    '/h264-aac': f'{pic} ! {x264} {aac}',
    '/h264-pcma': f'{pic} ! {x264} audiotestsrc is-live=true wave=ticks ! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8',
    '/audio': aac.replace('name=pay1 pt=97', 'name=pay0 pt=97'),
    '/resize': (f'videotestsrc is-live=true pattern=ball ! video/x-raw,framerate={fps}/1 ! videoscale '
                f'! capsfilter name=size caps=video/x-raw,width={w},height={h} ! timeoverlay ! videoconvert '
                f'! video/x-raw,format=I420 ! {x264}'),
}

server = GstRtspServer.RTSPServer(address='127.0.0.1', service=port)
mp = server.get_mount_points()
resizing = []

def flip():
    for media in resizing:
        el = media.get_element()
        cf = el.get_by_name('size') if el else None
        if cf is not None:
            small = cf.get_property('caps').get_structure(0).get_value('width') == w
            nw, nh = (w * 2, h * 2) if small else (w, h)
            cf.set_property('caps', Gst.Caps.from_string(f'video/x-raw,width={nw},height={nh}'))
    return True

def configured(factory, media):
    resizing.append(media)

def factory(launch):
    f = GstRtspServer.RTSPMediaFactory()
    f.set_launch('( ' + launch + ' )')
    f.set_shared(True)
    return f

for path, launch in mounts.items():
    f = factory(launch)
    if path == '/resize':
        f.connect('media-configure', configured)
    mp.add_factory(path, f)

# the same camera with credentials (user 'vigil', password 'secret') on the next port: /h264 only
secured = GstRtspServer.RTSPServer(address='127.0.0.1', service=str(int(port) + 1))
auth = GstRtspServer.RTSPAuth()
token = GstRtspServer.RTSPToken()
token.set_string('media.factory.role', 'viewer')
auth.add_basic(GstRtspServer.RTSPAuth.make_basic('vigil', 'secret'), token)
secured.set_auth(auth)
f = factory(mounts['/h264'])
perms = GstRtspServer.RTSPPermissions()
perms.add_role_from_structure(Gst.Structure.from_string(
    'viewer, media.factory.access=(boolean)true, media.factory.construct=(boolean)true')[0])
f.set_permissions(perms)
secured.get_mount_points().add_factory('/h264', f)

if secured.attach(None) == 0:
    print('FAILED to listen on', int(port) + 1, flush=True)
    sys.exit(1)
if server.attach(None) == 0:
    print('FAILED to listen on', port, flush=True)
    sys.exit(1)
GLib.timeout_add(3000, flip)
print(f'READY {port}', flush=True)
GLib.MainLoop().run()
