#pragma once
/**
 * \file torch_checkpoint.h
 * \brief Reading PyTorch checkpoints (`.bin`, `.pt`, `.pth`, `.ckpt`) without executing pickle code.
 *
 * Two layouts written by `torch.save` are read:
 *  - the zip format (PyTorch ≥ 1.6): `<archive>/data.pkl` + one `<archive>/data/<key>` file per storage,
 *    read through ZipArchive (torch_zip_reader.h);
 *  - the legacy format (PyTorch < 1.6, or `_use_new_zipfile_serialization=False`): a magic-number pickle,
 *    protocol version, system info, the data pickle, the list of storage keys, then each storage as an
 *    8-byte element count followed by its bytes.
 * The data pickle is run by the restricted interpreter of pickle_vm.h (allow-listed globals only; nothing is
 * imported or called). Every tensor's storage must exist, hold exactly the declared number of elements of
 * a consistent dtype, and contain the whole view (offset + Σ(size−1)·stride) before a single byte is copied;
 * big-endian checkpoints are refused. Tensors are then copied out of the memory mapping
 * (torch::from_blob(...).clone()), so they outlive the file and share no memory with each other.
 *
 * The state dict is found at the top level (a dict whose values are all tensors), or under `subkey`, or
 * under `state_dict` (PyTorch Lightning `.ckpt`) or `unet_trained_weights` (MotionBooth subject
 * checkpoints). Every error throws std::runtime_error whose message names the file and the problem.
 */
#include <string>

#include "ml/safetensors.h"

namespace mb::ml {

/**
 * The format of a weights file, judged by its first bytes (never by its extension):
 * "safetensors", "torch-zip" (torch.save ≥ 1.6), "torchscript" (a torch.jit.save zip: code, no state
 * dict), "torch-legacy" (torch.save < 1.6), "pickle" (some other pickle), "zip" (a zip archive without
 * `data.pkl`) or "unknown". Throws naming the file when it cannot be read.
 */
std::string detect_weights_format(const std::string& path);

/**
 * The state dict of a PyTorch checkpoint. Floating-point tensors are converted to `floatDtype`, integer
 * and bool tensors keep their stored dtype. `subkey` picks a nested dict by name (empty: automatic, see
 * the file comment). Throws std::runtime_error naming the file and the offending global, opcode, storage
 * or key.
 */
TensorMap read_torch_checkpoint(const std::string& path, torch::Dtype floatDtype = torch::kFloat32,
                                const std::string& subkey = "");

/** Same as read_torch_checkpoint, keeping every tensor's stored dtype (for bit-exact conversion). */
TensorMap read_torch_checkpoint_raw(const std::string& path, const std::string& subkey = "");

} // namespace mb::ml
