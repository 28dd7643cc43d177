#!/usr/bin/env python3
"""Records every byte typed into its terminal (raw mode, bracketed paste on,
as the coding tools have it) to the file named by argv[1]."""
import os
import sys
import termios
import tty

out = sys.argv[1]
fd = sys.stdin.fileno()
tty.setraw(fd)
os.write(sys.stdout.fileno(), b"\x1b[?2004hrec> ")
try:
    while True:
        data = os.read(fd, 4096)
        if not data:
            break
        with open(out, "ab") as f:
            f.write(data)
finally:
    termios.tcsetattr(fd, termios.TCSADRAIN, termios.tcgetattr(fd))
