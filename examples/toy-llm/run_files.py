"""The toy trainer's metric files, as many real trainers write them (seedrun issue 12).

- metrics.jsonl: one JSON object per log step, appended and flushed (many projects do this);
- events.out.tfevents.<time>.<host>: TensorBoard scalars (what Lightning, torchtune and
  torch.utils.tensorboard write), framed as TFRecords with their masked CRC-32C and encoded
  by hand in the protobuf wire format: Event{wall_time, step, summary{value{tag, simple_value}}},
  the same bytes tensorboardX writes for add_scalar. No dependency beyond the standard library.
"""
import json
import os
import socket
import struct
import time


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc32c(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def _varint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def _bytes_field(field, data):
    return _varint(field << 3 | 2) + _varint(len(data)) + data


def _event(step, wall_time, scalars=None, file_version=None):
    msg = _varint(1 << 3 | 1) + struct.pack("<d", wall_time) + _varint(2 << 3 | 0) + _varint(step)
    if file_version is not None:
        msg += _bytes_field(3, file_version.encode())
    if scalars:
        summary = b"".join(
            _bytes_field(1, _bytes_field(1, tag.encode()) + _varint(2 << 3 | 5) + struct.pack("<f", value))
            for tag, value in scalars.items())
        msg += _bytes_field(5, summary)
    return msg


def _record(data):
    header = struct.pack("<Q", len(data))
    return header + struct.pack("<I", masked_crc32c(header)) + data + struct.pack("<I", masked_crc32c(data))


class RunFiles:
    """Appends each log step to <out>/metrics.jsonl and <out>/tb/events.out.tfevents.*."""

    def __init__(self, out_dir):
        os.makedirs(os.path.join(out_dir, "tb"), exist_ok=True)
        self.jsonl = open(os.path.join(out_dir, "metrics.jsonl"), "a")
        now = time.time()
        name = f"events.out.tfevents.{int(now)}.{socket.gethostname()}"
        self.events = open(os.path.join(out_dir, "tb", name), "ab")
        self.events.write(_record(_event(0, now, file_version="brain.Event:2")))
        self.events.flush()

    def log(self, step, jsonl_values, scalars):
        self.jsonl.write(json.dumps({"step": step, **jsonl_values}) + "\n")
        self.jsonl.flush()
        self.events.write(_record(_event(step, time.time(), scalars)))
        self.events.flush()

    def close(self):
        self.jsonl.close()
        self.events.close()
