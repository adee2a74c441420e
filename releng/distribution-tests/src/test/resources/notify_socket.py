"""A stand-in for systemd's notification socket: prints every datagram a service sends to NOTIFY_SOCKET, one
message per line (newlines inside a message as '|'), until it is killed or a STOPPING=1 arrives."""
import os
import socket
import sys

path = sys.argv[1]
if os.path.exists(path):
    os.unlink(path)
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print("LISTENING", flush=True)
s.settimeout(300)
while True:
    try:
        data = s.recv(4096).decode("utf-8", "replace")
    except socket.timeout:
        break
    print(data.replace("\n", "|"), flush=True)
    if "STOPPING=1" in data:
        break
s.close()
os.unlink(path)
