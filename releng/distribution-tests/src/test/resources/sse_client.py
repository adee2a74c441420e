#!/usr/bin/env python3
"""A small client of the recorder's event stream (server-sent events), written with Python's standard library only,
as a script or a home-automation system would: HTTPS verified with the recorder's certificate, HTTP Basic.

    sse_client.py read URL CAFILE USER SECONDS   prints 'CONNECTED' once the stream is open, then one JSON line per
                                                 event ({"id", "event", "data"}) until SECONDS have passed
    sse_client.py hold URL CAFILE USER N         opens N streams at once, then one more, and prints the HTTP status
                                                 of each ('200' or the refusal's status and sentence)

The password comes from the environment variable VIGIL_PASSWORD, never from the command line.
"""
import base64
import json
import os
import ssl
import sys
import time
import urllib.error
import urllib.request


def open_stream(url, cafile, user, timeout):
    ctx = ssl.create_default_context(cafile=cafile)
    # the recorder's self-signed certificate is its own trust anchor (pinned, as 'vigil api status' shows it)
    ctx.verify_flags &= ~getattr(ssl, "VERIFY_X509_STRICT", 0)
    req = urllib.request.Request(url)
    token = base64.b64encode((user + ":" + os.environ["VIGIL_PASSWORD"]).encode()).decode()
    req.add_header("Authorization", "Basic " + token)
    req.add_header("Accept", "text/event-stream")
    return urllib.request.urlopen(req, context=ctx, timeout=timeout)


def read(url, cafile, user, seconds):
    deadline = time.monotonic() + seconds
    with open_stream(url, cafile, user, timeout=seconds) as resp:
        if resp.headers.get_content_type() != "text/event-stream":
            print("NOT-SSE " + str(resp.headers.get_content_type()), flush=True)
            return 1
        event = {}
        while time.monotonic() < deadline:
            try:
                raw = resp.readline()
            except (TimeoutError, OSError):
                break
            if not raw:
                break
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith(":"):
                if "connected" in line:
                    print("CONNECTED", flush=True)
                continue
            if line == "":
                if "event" in event:
                    print(json.dumps(event), flush=True)
                event = {}
                continue
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                event["data"] = json.loads(value)
            elif field in ("id", "event"):
                event[field] = value
    return 0


def hold(url, cafile, user, n):
    streams = []
    try:
        for _ in range(n + 1):
            try:
                streams.append(open_stream(url, cafile, user, timeout=60))
                print("200", flush=True)
            except urllib.error.HTTPError as e:
                body = json.loads(e.read().decode("utf-8"))
                print(str(e.code) + " " + body["error"], flush=True)
    finally:
        for s in streams:
            s.close()
    return 0


if __name__ == "__main__":
    mode, url, cafile, user, arg = sys.argv[1:6]
    if mode == "read":
        sys.exit(read(url, cafile, user, float(arg)))
    sys.exit(hold(url, cafile, user, int(arg)))
