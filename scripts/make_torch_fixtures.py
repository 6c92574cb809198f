#!/usr/bin/env python3
"""Writes the PyTorch-checkpoint test fixtures of tests/data/torch_checkpoints/ (see its README.md).

Two parts:
  * real checkpoints written by `torch.save` (needs PyTorch; Debian: `apt-get install python3-torch`, run with
    /usr/bin/python3): dtypes, views of shared storages, parameters, Lightning/MotionBooth layouts, the legacy
    (pre-1.6) format, and the tiny reference model (tests/data/reference/tiny) re-saved as `.bin` files;
  * the hostile corpus under hostile/: hand-crafted pickle bytes in hand-built zip archives (no torch needed),
    each of which the C++ reader must refuse.

Usage: make_torch_fixtures.py [--hostile-only] [OUT_DIR]   (default OUT_DIR: tests/data/torch_checkpoints)
The files are committed, so CI never runs this script.
"""
import collections
import json
import os
import shutil
import struct
import sys
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TINY = os.path.join(ROOT, "tests", "data", "reference", "tiny")


# ---------------------------------------------------------------------------------------------------------
# Hand-built pickles and zips (hostile corpus; also the ZIP64 fixture)
# ---------------------------------------------------------------------------------------------------------

def p_str(s):
    b = s.encode("utf-8")
    return b"X" + struct.pack("<I", len(b)) + b


def p_int(i):
    if -(2 ** 31) <= i < 2 ** 31:
        return b"J" + struct.pack("<i", i)
    return b"\x8a\x08" + struct.pack("<q", i)


def p_tuple(values):
    return b"(" + b"".join(p_int(v) for v in values) + b"t"


EMPTY_ORDERED_DICT = b"ccollections\nOrderedDict\n)R"


def p_storage(key, numel, storage="FloatStorage"):
    return (b"(" + p_str("storage") + b"ctorch\n" + storage.encode() + b"\n" + p_str(key) + p_str("cpu") +
            p_int(numel) + b"tQ")


def p_tensor(key, numel, offset, size, stride, storage="FloatStorage", hooks=EMPTY_ORDERED_DICT):
    return (b"ctorch._utils\n_rebuild_tensor_v2\n(" + p_storage(key, numel, storage) + p_int(offset) +
            p_tuple(size) + p_tuple(stride) + b"\x89" + hooks + b"tR")


def p_state_dict(entries):
    """entries: list of (name, tensor pickle bytes) -> a protocol-2 pickle of a plain dict."""
    body = b"".join(p_str(name) + t for name, t in entries)
    return b"\x80\x02}(" + body + b"u."


FOUR_FLOATS = struct.pack("<4f", 1.0, 2.0, 3.0, 4.0)
VALID_PICKLE = p_state_dict([("w", p_tensor("0", 4, 0, (2, 2), (2, 1)))])


def build_zip(entries, zip64=False, compress=()):
    """entries: list of (name, bytes). Stored entries (deflated for names in `compress`); no alignment padding.
    With zip64, every size/offset field of the central directory is 0xFFFFFFFF with a ZIP64 extra field, and
    ZIP64 end records are written, as a >4 GiB torch.save file has them."""
    out = bytearray()
    central = bytearray()
    for name, data in entries:
        nb = name.encode()
        crc = zlib.crc32(data) & 0xFFFFFFFF
        method = 0
        payload = data
        if name in compress:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = c.compress(data) + c.flush()
            method = 8
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, crc, len(payload), len(data), len(nb), 0)
        out += nb + payload
        if zip64:
            extra = struct.pack("<HHQQQ", 1, 24, len(data), len(payload), offset)
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45, 0, method, 0, 0, crc, 0xFFFFFFFF,
                                   0xFFFFFFFF, len(nb), len(extra), 0, 0, 0, 0, 0xFFFFFFFF)
            central += nb + extra
        else:
            central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0, crc, len(payload),
                                   len(data), len(nb), 0, 0, 0, 0, 0, offset)
            central += nb
    cd_offset = len(out)
    out += central
    if zip64:
        z64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, len(entries), len(entries), len(central),
                           cd_offset)
        out += struct.pack("<IIQI", 0x07064B50, 0, z64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), cd_offset, 0)
    return bytes(out)


def checkpoint_zip(pickle_bytes, storages=None, byteorder=None, zip64=False, compress=(), extra=()):
    entries = [("archive/data.pkl", pickle_bytes)]
    if byteorder is not None:
        entries.append(("archive/byteorder", byteorder.encode()))
    for key, data in (storages if storages is not None else {"0": FOUR_FLOATS}).items():
        entries.append(("archive/data/" + key, data))
    entries.append(("archive/version", b"3\n"))
    entries.extend(extra)
    return build_zip(entries, zip64=zip64, compress=compress)


LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19\x2e"


def hostile_corpus():
    """name -> (bytes, what it does). The README table and the C++ test's expectations follow this list."""
    h = collections.OrderedDict()
    h["global_os_system.pt"] = (checkpoint_zip(b"\x80\x02cos\nsystem\n" + p_str("echo pwned") + b"\x85R."),
                                "GLOBAL os.system + REDUCE: the classic code-execution pickle")
    h["stack_global_eval.pt"] = (checkpoint_zip(
        b"\x80\x04\x8c\x08builtins\x8c\x04eval\x93" + b"\x8c\x041+1\x85R."),
        "protocol-4 STACK_GLOBAL builtins.eval + REDUCE")
    h["reduce_storage_type.pt"] = (checkpoint_zip(b"\x80\x02ctorch\nFloatStorage\n)R."),
                                   "REDUCE on an allowed global that is not a callable (torch.FloatStorage)")
    h["reduce_string.pt"] = (checkpoint_zip(b"\x80\x02" + p_str("os.system") + b")R."),
                             "REDUCE on a plain string")
    h["inst_opcode.pt"] = (checkpoint_zip(b"\x80\x02(" + p_str("id") + b"ios\nsystem\n."),
                           "INST opcode (imports and instantiates any class)")
    h["newobj.pt"] = (checkpoint_zip(b"\x80\x02ccollections\nOrderedDict\n)\x81."),
                      "NEWOBJ opcode (cls.__new__) on an allowed class")
    h["memo_out_of_range.pt"] = (checkpoint_zip(b"\x80\x02}q\x00h\x07."),
                                 "BINGET of memo id 7, never stored")
    h["deep_nesting.pt"] = (checkpoint_zip(b"\x80\x02" + b"]" * 100000 + b"a" * 99999 + b"."),
                            "100 000 nested lists (recursion bomb for recursive destructors/walkers)")
    h["cyclic_list.pt"] = (checkpoint_zip(b"\x80\x02]q\x00h\x00a."), "a list appended to itself (cycle)")
    h["build_on_list.pt"] = (checkpoint_zip(b"\x80\x02]}b."), "BUILD on an object that is not a dict")
    h["nested_pickle.pt"] = (checkpoint_zip(VALID_PICKLE + b"\x80\x02cos\nsystem\n" + p_str("id") + b"\x85R."),
                             "a second pickle after STOP in data.pkl")
    valid = checkpoint_zip(VALID_PICKLE)
    h["truncated_zip.pt"] = (valid[: len(valid) * 6 // 10], "a valid checkpoint cut to 60 % of its length")
    h["truncated_pickle.pt"] = (checkpoint_zip(VALID_PICKLE[:40]), "data.pkl cut in the middle of a tensor")
    h["storage_size_lie.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor("0", 1000, 0, (10, 100), (100, 1)))])),
                                "persistent id claims 1000 floats, data/0 holds 16 bytes")
    h["offset_past_end.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor("0", 4, 10, (2,), (1,)))])),
                               "storage offset 10 in a 4-element storage")
    h["huge_dimension.pt"] = (checkpoint_zip(p_state_dict(
        [("w", p_tensor("0", 4, 0, (2 ** 40, 2 ** 40, 2 ** 40), (1, 1, 1)))])),
        "sizes 2^40 x 2^40 x 2^40: element count overflows 64 bits")
    h["stride_past_end.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor("0", 4, 0, (2, 2), (4, 1)))])),
                               "stride 4 makes a 2x2 view reach element 6 of 4")
    h["negative_size.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor("0", 4, 0, (-1,), (1,)))])),
                             "a negative size")
    h["big_endian.pt"] = (checkpoint_zip(VALID_PICKLE, byteorder="big"), "byteorder record says 'big'")
    h["compressed.pt"] = (checkpoint_zip(VALID_PICKLE, compress=("archive/data/0",)),
                          "storage entry deflate-compressed (re-zipped archive)")
    h["missing_storage.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor("3", 4, 0, (4,), (1,)))])),
                               "tensor refers to storage '3', absent from the archive")
    h["storage_key_traversal.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor("../x", 4, 0, (4,), (1,)))])),
                                     "storage key '../x' (path traversal)")
    h["dtype_conflict.pt"] = (checkpoint_zip(p_state_dict([("a", p_tensor("0", 4, 0, (4,), (1,))),
                                                           ("b", p_tensor("0", 8, 0, (8,), (1,), "HalfStorage"))])),
                              "one storage declared as 4 floats and as 8 halves")
    h["backward_hooks.pt"] = (checkpoint_zip(p_state_dict([("w", p_tensor(
        "0", 4, 0, (4,), (1,), hooks=b"}" + p_str("h") + p_int(1) + b"s"))])),
        "tensor with a non-empty backward-hooks dict")
    h["not_a_state_dict.pt"] = (checkpoint_zip(b"\x80\x02]" + p_str("x") + b"a."), "top level is a list")
    h["torchscript.pt"] = (checkpoint_zip(VALID_PICKLE, extra=(("archive/constants.pkl", b"\x80\x02)."),
                                                              ("archive/code/__torch__.py", b"x = 1\n"))),
                           "a torch.jit.save archive (code/ + constants.pkl)")
    h["eocd_count_lie.pt"] = (valid[:-12] + struct.pack("<H", 0xFFFE) + valid[-10:],
                              "end record claims 65534 entries")
    h["legacy_global.pt"] = (LEGACY_MAGIC + b"\x80\x02M\xe9\x03." + b"\x80\x02}(" + p_str("little_endian") +
                             b"\x88u." + b"\x80\x02cos\nsystem\n" + p_str("id") + b"\x85R.",
                             "legacy (pre-1.6) layout whose data pickle calls os.system")
    h["bare_pickle.pkl"] = (VALID_PICKLE, "a bare pickle, not a torch.save file")
    h["empty.bin"] = (b"", "an empty file")
    h["garbage.bin"] = (bytes((i * 197 + 13) % 256 for i in range(4096)), "4 KiB of noise")
    return h


def write_hostile(out_dir):
    d = os.path.join(out_dir, "hostile")
    os.makedirs(d, exist_ok=True)
    corpus = hostile_corpus()
    for name, (data, _) in corpus.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)
    # The valid hand-built ZIP64 archive (misaligned stored entries, ZIP64 central directory and end records).
    with open(os.path.join(out_dir, "zip64.pt"), "wb") as f:
        f.write(checkpoint_zip(VALID_PICKLE, zip64=True))
    return corpus


# ---------------------------------------------------------------------------------------------------------
# Real torch.save fixtures
# ---------------------------------------------------------------------------------------------------------

def read_safetensors(path):
    import numpy as np
    import torch
    dt = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    base = 8 + n
    out = collections.OrderedDict()
    for key in sorted(k for k in header if k != "__metadata__"):
        info = header[key]
        b, e = info["data_offsets"]
        arr = np.frombuffer(raw[base + b:base + e], dtype=dt[info["dtype"]]).reshape(info["shape"])
        out[key] = torch.from_numpy(arr.copy())
    return out


def state_dict(tensors):
    """An OrderedDict with `_metadata`, like nn.Module.state_dict() (pickled with a BUILD)."""
    sd = collections.OrderedDict(tensors)
    sd._metadata = collections.OrderedDict([("", {"version": 1})])
    return sd


OLD_VAE_NAMES = {"to_q": "query", "to_k": "key", "to_v": "value", "to_out.0": "proj_attn"}


def write_torch_fixtures(out_dir):
    import torch
    torch.manual_seed(0)

    dtypes = collections.OrderedDict([
        ("f32", torch.tensor([[1 / 3, -2.5e-8, 3.4e38, 1e-40], [-0.0, float("inf"), float("-inf"), 7.0]],
                             dtype=torch.float32)),
        ("f32_nan", torch.tensor([float("nan")], dtype=torch.float32)),
        ("f64", torch.tensor([1 / 3, -1e-300, 2.0 ** 60], dtype=torch.float64)),
        ("f16", torch.tensor([0.5, -2.0, 65504.0, 2.0 ** -24, 0.333251953125], dtype=torch.float16)),
        ("bf16", torch.tensor([1.0, -3.140625, 2.0 ** -133, 3.3895313892515355e38, 0.333984375],
                              dtype=torch.bfloat16)),
        ("i64", torch.tensor([-2 ** 63, 2 ** 63 - 1, 0, -1], dtype=torch.int64)),
        ("i32", torch.tensor([-2 ** 31, 2 ** 31 - 1, 5], dtype=torch.int32)),
        ("i16", torch.tensor([-32768, 32767], dtype=torch.int16)),
        ("i8", torch.tensor([-128, 127], dtype=torch.int8)),
        ("u8", torch.tensor([0, 255, 7], dtype=torch.uint8)),
        ("bool", torch.tensor([True, False, True])),
    ])
    torch.save(dtypes, os.path.join(out_dir, "dtypes.pt"))
    torch.save(dtypes, os.path.join(out_dir, "dtypes_legacy.pt"), _use_new_zipfile_serialization=False)

    base = torch.arange(24, dtype=torch.float32) * 0.5
    half = torch.arange(10, dtype=torch.float16)
    views = collections.OrderedDict([
        ("whole", base.view(4, 6)),
        ("slice", base[6:18].view(3, 4)),          # offset 6 into the shared storage
        ("strided", base.view(4, 6)[:, 1::2]),     # strides (6, 2), offset 1
        ("transposed", base.view(4, 6).t()),       # strides (1, 6)
        ("expanded", torch.tensor([1.0, 2.0]).expand(3, 2)),  # stride 0
        ("scalar", torch.tensor(3.5)),
        ("empty", torch.zeros(0, 3)),
        ("half_slice", half[2:7]),
    ])
    for k in ("whole", "slice", "strided", "transposed"):
        assert views[k].storage().data_ptr() == base.storage().data_ptr()
    torch.save(views, os.path.join(out_dir, "views.pt"))
    torch.save(views, os.path.join(out_dir, "views_legacy.pt"), _use_new_zipfile_serialization=False)

    torch.save({"weight": torch.nn.Parameter(torch.arange(6, dtype=torch.float32).view(2, 3))},
               os.path.join(out_dir, "parameter.pt"))

    subject = {"down_blocks.0.attentions.0.to_q.weight": (torch.arange(12, dtype=torch.float32).view(4, 3) * 0.125),
               "conv_in.bias": torch.arange(4, dtype=torch.float32) * -0.5}
    torch.save({"unet_trained_weights": {k: v.half() for k, v in subject.items()}},
               os.path.join(out_dir, "subject.pth"))

    lightning_sd = state_dict([("model.weight", torch.arange(6, dtype=torch.float32).view(2, 3)),
                               ("model.bias", torch.tensor([0.25, -0.75]))])
    torch.save({"epoch": 3, "global_step": 120, "pytorch-lightning_version": "1.9.5", "state_dict": lightning_sd,
                "optimizer_states": [{"state": {}, "param_groups": [{"lr": 1e-3, "params": [0, 1]}]}],
                "lr_schedulers": [], "callbacks": {}},
               os.path.join(out_dir, "lightning.ckpt"))
    import argparse
    torch.save({"epoch": 3, "state_dict": lightning_sd, "hyper_parameters": argparse.Namespace(lr=1e-3)},
               os.path.join(out_dir, "lightning_hparams.ckpt"))

    # The tiny reference model as pickled .bin files, the way zeroscope_v2_576w ships: old VAE attention names,
    # the text encoder's legacy position_ids buffer, and a sharded text encoder with a .bin.index.json.
    tiny_bin = os.path.join(out_dir, "tiny_bin")
    if os.path.exists(tiny_bin):
        shutil.rmtree(tiny_bin)
    for sub in ("scheduler", "tokenizer"):
        shutil.copytree(os.path.join(TINY, sub), os.path.join(tiny_bin, sub))
    shutil.copy(os.path.join(TINY, "model_index.json"), tiny_bin)
    for comp in ("unet", "vae", "text_encoder"):
        os.makedirs(os.path.join(tiny_bin, comp))
        shutil.copy(os.path.join(TINY, comp, "config.json"), os.path.join(tiny_bin, comp))
    unet = read_safetensors(os.path.join(TINY, "unet", "diffusion_pytorch_model.safetensors"))
    torch.save(state_dict(unet.items()), os.path.join(tiny_bin, "unet", "diffusion_pytorch_model.bin"))
    vae = collections.OrderedDict()
    for k, v in read_safetensors(os.path.join(TINY, "vae", "diffusion_pytorch_model.safetensors")).items():
        if ".mid_block.attentions.0." in "." + k:
            for new, old in OLD_VAE_NAMES.items():
                k = k.replace(".attentions.0." + new + ".", ".attentions.0." + old + ".")
        vae[k] = v
    torch.save(state_dict(vae.items()), os.path.join(tiny_bin, "vae", "diffusion_pytorch_model.bin"))
    te = read_safetensors(os.path.join(TINY, "text_encoder", "model.safetensors"))
    te["text_model.embeddings.position_ids"] = torch.arange(77, dtype=torch.int64).view(1, 77)
    keys = list(te.keys())
    shards = [keys[: len(keys) // 2], keys[len(keys) // 2:]]
    weight_map = {}
    for i, shard_keys in enumerate(shards):
        name = "pytorch_model-%05d-of-%05d.bin" % (i + 1, len(shards))
        torch.save(state_dict((k, te[k]) for k in shard_keys), os.path.join(tiny_bin, "text_encoder", name))
        weight_map.update({k: name for k in shard_keys})
    total = sum(t.numel() * t.element_size() for t in te.values())
    with open(os.path.join(tiny_bin, "text_encoder", "pytorch_model.bin.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))}, f, indent=2)
        f.write("\n")


def main(argv):
    hostile_only = "--hostile-only" in argv
    args = [a for a in argv if not a.startswith("--")]
    out_dir = args[0] if args else os.path.join(ROOT, "tests", "data", "torch_checkpoints")
    os.makedirs(out_dir, exist_ok=True)
    corpus = write_hostile(out_dir)
    if not hostile_only:
        write_torch_fixtures(out_dir)
    for name, (_, what) in corpus.items():
        print("hostile/%-28s %s" % (name, what))


if __name__ == "__main__":
    main(sys.argv[1:])
