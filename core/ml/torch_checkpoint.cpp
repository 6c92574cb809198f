#include "ml/torch_checkpoint.h"

#include <cstring>
#include <functional>
#include <optional>
#include <stdexcept>

#include <torch/torch.h>

#include "ml/pickle_vm.h"
#include "ml/torch_zip_reader.h"

namespace mb::ml {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error("'" + path + "': " + what);
}

/** data.pkl of a real 1.4 G-parameter UNet is ~200 kB; anything this large is not a state dict. */
constexpr uint64_t kMaxDataPickleBytes = 256ull * 1024 * 1024;

/** `torch.save`'s legacy header: pickle protocol 2, LONG1 of 10 bytes = 0x1950a86a20f9469cfc6c, STOP. */
constexpr uint8_t kLegacyMagic[] = {0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46,
                                    0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e};

bool hostIsLittleEndian() {
    const uint16_t probe = 1;
    uint8_t first = 0;
    std::memcpy(&first, &probe, 1);
    return first == 1;
}

torch::Dtype torchDtype(StorageDtype d) {
    switch (d) {
    case StorageDtype::Float32:
        return torch::kFloat32;
    case StorageDtype::Float64:
        return torch::kFloat64;
    case StorageDtype::Float16:
        return torch::kFloat16;
    case StorageDtype::BFloat16:
        return torch::kBFloat16;
    case StorageDtype::Int64:
        return torch::kInt64;
    case StorageDtype::Int32:
        return torch::kInt32;
    case StorageDtype::Int16:
        return torch::kInt16;
    case StorageDtype::Int8:
        return torch::kInt8;
    case StorageDtype::UInt8:
        return torch::kUInt8;
    case StorageDtype::Bool:
        return torch::kBool;
    }
    throw std::logic_error("unknown StorageDtype");
}

/** The bytes of one storage as found in the file. */
struct StorageBytes {
    const uint8_t* data = nullptr;
    uint64_t size = 0;
};

/** Looks a storage key up in the container; returns nullopt when the file has no such storage. */
using StorageLookup = std::function<std::optional<StorageBytes>(const std::string& key)>;

/** Picks the state dict out of the unpickled object. */
const PickleValue& selectStateDict(const std::string& path, const PickleValue& root,
                                   const std::string& subkey) {
    if (root.kind != PickleValue::Kind::Dict) {
        fail(path, "holds a " + root.describe() + ", not a state dict (a dict of tensors)");
    }
    if (!subkey.empty()) {
        const PickleValue* v = root.find(subkey);
        if (!v || v->kind != PickleValue::Kind::Dict) {
            fail(path, "has no dict under key '" + subkey + "'");
        }
        return *v;
    }
    bool allTensors = !root.entries.empty();
    for (const auto& kv : root.entries) {
        allTensors = allTensors && kv.second->kind == PickleValue::Kind::Tensor;
    }
    if (allTensors) {
        return root;
    }
    for (const char* key : {"state_dict", "unet_trained_weights"}) {
        const PickleValue* v = root.find(key);
        if (v && v->kind == PickleValue::Kind::Dict) {
            return *v;
        }
    }
    std::string keys;
    for (size_t i = 0; i < root.entries.size() && i < 12; ++i) {
        keys += (i ? ", " : "") + root.entries[i].first->describe();
    }
    fail(path, "holds no state dict: the top-level dict is not all tensors and has no 'state_dict' or "
               "'unet_trained_weights' entry (keys: " +
                   (keys.empty() ? std::string("none") : keys) + ")");
}

/** Checks every tensor of `dict` against its storage, then copies them out. */
TensorMap buildTensors(const std::string& path, const PickleValue& dict, const StorageLookup& lookup,
                       std::optional<torch::Dtype> floatDtype) {
    struct Checked {
        std::string name;
        const PickleValue* tensor;
        StorageBytes bytes;
    };
    std::vector<Checked> checked;
    std::map<std::string, std::pair<StorageDtype, int64_t>> storages; // key → (dtype, numel) first seen
    for (const auto& kv : dict.entries) {
        if (kv.first->kind != PickleValue::Kind::String) {
            fail(path, "state dict key " + kv.first->describe() + " is not a string");
        }
        const std::string& name = kv.first->text;
        const PickleValue& t = *kv.second;
        if (t.kind != PickleValue::Kind::Tensor) {
            fail(path, "state dict entry '" + name + "' is a " + t.describe() + ", not a tensor");
        }
        const auto seen = storages.emplace(t.text, std::make_pair(t.dtype, t.storageNumel));
        if (!seen.second &&
            (seen.first->second.first != t.dtype || seen.first->second.second != t.storageNumel)) {
            fail(path, "storage '" + t.text + "' is declared with two different types or sizes (tensor '" +
                           name + "')");
        }
        const std::optional<StorageBytes> bytes = lookup(t.text);
        if (!bytes) {
            fail(path,
                 "tensor '" + name + "' refers to storage '" + t.text + "', which the file does not contain");
        }
        const uint64_t elementSize = storage_element_size(t.dtype);
        const uint64_t numel = static_cast<uint64_t>(t.storageNumel);
        if (numel > UINT64_MAX / elementSize || numel * elementSize != bytes->size) {
            fail(path, "storage '" + t.text + "' of tensor '" + name + "' declares " + std::to_string(numel) +
                           " " + storage_type_name(t.dtype) + " elements but holds " +
                           std::to_string(bytes->size) + " bytes");
        }
        uint64_t extent = 0;
        if (!tensor_storage_extent(t.integer, t.sizes, t.strides, extent) || extent > numel) {
            fail(path, "tensor '" + name + "' reaches past the end of storage '" + t.text + "'");
        }
        checked.push_back({name, &t, *bytes});
    }

    TensorMap out;
    for (const Checked& c : checked) {
        const PickleValue& t = *c.tensor;
        const torch::Dtype dtype = torchDtype(t.dtype);
        torch::Tensor tensor;
        uint64_t extent = 0;
        tensor_storage_extent(t.integer, t.sizes, t.strides, extent);
        if (extent == 0) {
            tensor = torch::empty(t.sizes, torch::TensorOptions().dtype(dtype)); // cpu: read from a file
        } else {
            const uint64_t elementSize = storage_element_size(t.dtype);
            const uint8_t* base = c.bytes.data;
            torch::Tensor aligned;
            if (reinterpret_cast<uintptr_t>(base) % elementSize != 0) {
                // Not torch.save's 64-byte aligned layout (re-zipped?): copy to aligned memory first.
                aligned =
                    torch::empty({static_cast<int64_t>(c.bytes.size)}, torch::kUInt8);    // cpu: file bytes
                std::memcpy(aligned.data_ptr(), base, static_cast<size_t>(c.bytes.size)); // cpu: as above
                base = static_cast<const uint8_t*>(aligned.data_ptr());                   // cpu: as above
            }
            // from_blob only reads here (clone copies); the mapping is read-only.
            void* first = const_cast<uint8_t*>(base + static_cast<uint64_t>(t.integer) * elementSize);
            // cpu: a view of the mapped file, copied to host memory
            tensor = torch::from_blob(first, t.sizes, t.strides, torch::TensorOptions().dtype(dtype))
                         .clone(at::MemoryFormat::Contiguous);
        }
        if (floatDtype && tensor.is_floating_point() && tensor.scalar_type() != *floatDtype) {
            tensor = tensor.to(*floatDtype);
        }
        out.emplace(c.name, std::move(tensor));
    }
    return out;
}

/** Finds `<archive>/data.pkl`; refuses TorchScript archives and zips that are no checkpoint. */
std::string archivePrefix(const ZipArchive& zip) {
    std::string prefix;
    int found = 0;
    bool torchscript = false;
    for (const ZipEntry& e : zip.entries()) {
        const auto slash = e.name.find('/');
        if (slash == std::string::npos) {
            continue;
        }
        const std::string rest = e.name.substr(slash + 1);
        if (rest == "data.pkl") {
            prefix = e.name.substr(0, slash + 1);
            ++found;
        } else if (rest == "constants.pkl" || rest.rfind("code/", 0) == 0) {
            torchscript = true;
        }
    }
    if (torchscript) {
        fail(zip.path(), "is a TorchScript archive (torch.jit.save), not a state dict checkpoint");
    }
    if (found == 0) {
        fail(zip.path(), "is a zip archive without '<archive>/data.pkl': not a PyTorch checkpoint");
    }
    if (found > 1) {
        fail(zip.path(), "holds more than one '<archive>/data.pkl'");
    }
    return prefix;
}

TensorMap readZip(const std::string& path, std::optional<torch::Dtype> floatDtype,
                  const std::string& subkey) {
    const ZipArchive zip = ZipArchive::open(path);
    const std::string prefix = archivePrefix(zip);
    if (const ZipEntry* order = zip.find(prefix + "byteorder")) {
        const std::string text = zip.readChecked(*order);
        if (text == "big") {
            fail(path,
                 "was saved on a big-endian machine (byteorder 'big'); only little-endian checkpoints are "
                 "supported: re-save it on a little-endian machine");
        }
        if (text != "little") {
            fail(path, "has an unknown byteorder record '" + text.substr(0, 16) + "'");
        }
    }
    const ZipEntry* pkl = zip.find(prefix + "data.pkl");
    if (pkl->size > kMaxDataPickleBytes) {
        fail(path, "data.pkl is " + std::to_string(pkl->size) + " bytes, too large for a state dict");
    }
    const std::string pickle = zip.readChecked(*pkl);
    const UnpickleResult result = unpickle(reinterpret_cast<const uint8_t*>(pickle.data()), pickle.size(),
                                           "'" + path + "' (" + pkl->name + ")");
    const PickleValue& dict = selectStateDict(path, *result.value, subkey);
    const StorageLookup lookup = [&](const std::string& key) -> std::optional<StorageBytes> {
        const ZipEntry* e = zip.find(prefix + "data/" + key);
        if (!e) {
            return std::nullopt;
        }
        return StorageBytes{zip.bytes(*e), e->size};
    };
    return buildTensors(path, dict, lookup, floatDtype);
}

/** Every storage (key → dtype) referenced anywhere below `v` (legacy files store all of them in order). */
void collectStorages(const PickleValue& v, std::map<std::string, StorageDtype>& out) {
    if (v.kind == PickleValue::Kind::Tensor || v.kind == PickleValue::Kind::Storage) {
        out.emplace(v.text, v.dtype);
    }
    for (const auto& item : v.items) {
        collectStorages(*item, out);
    }
    for (const auto& kv : v.entries) {
        collectStorages(*kv.second, out);
    }
}

TensorMap readLegacy(const std::string& path, std::optional<torch::Dtype> floatDtype,
                     const std::string& subkey) {
    const MappedFile file = MappedFile::open(path);
    const uint8_t* data = file.data();
    const uint64_t size = file.size();
    uint64_t pos = sizeof kLegacyMagic;
    auto next = [&](const char* what) {
        const UnpickleResult r = unpickle(data + pos, static_cast<size_t>(size - pos),
                                          "'" + path + "' (legacy " + std::string(what) + " pickle)", true);
        pos += r.consumed;
        return r.value;
    };
    const PickleRef protocol = next("protocol version");
    if (protocol->kind != PickleValue::Kind::Int || protocol->integer != 1001) {
        fail(path, "legacy checkpoint with unsupported protocol version " + protocol->describe());
    }
    const PickleRef sysInfo = next("system info");
    const PickleValue* little = sysInfo->find("little_endian");
    if (!little || little->kind != PickleValue::Kind::Bool) {
        fail(path, "legacy checkpoint without a little_endian flag");
    }
    if (!little->boolean) {
        fail(path, "was saved on a big-endian machine; only little-endian checkpoints are supported");
    }
    const PickleRef root = next("data");
    const PickleRef keys = next("storage keys");
    if (keys->kind != PickleValue::Kind::List) {
        fail(path, "legacy checkpoint's storage key list is a " + keys->describe());
    }
    std::map<std::string, StorageDtype> dtypes;
    collectStorages(*root, dtypes);
    // Storages follow in key-list order: an 8-byte element count, then the elements.
    std::map<std::string, StorageBytes> storages;
    for (const PickleRef& key : keys->items) {
        if (key->kind != PickleValue::Kind::String) {
            fail(path, "legacy storage key list holds a " + key->describe());
        }
        const auto dt = dtypes.find(key->text);
        if (dt == dtypes.end()) {
            fail(path, "legacy storage '" + key->text + "' is listed but never used, so its size is unknown");
        }
        if (size - pos < 8) {
            fail(path, "ends before the element count of storage '" + key->text + "' (truncated?)");
        }
        uint64_t count = 0;
        for (int i = 7; i >= 0; --i) {
            count = (count << 8) | data[pos + static_cast<uint64_t>(i)];
        }
        pos += 8;
        const uint64_t elementSize = storage_element_size(dt->second);
        if (count > (size - pos) / elementSize) {
            fail(path, "storage '" + key->text + "' claims " + std::to_string(count) +
                           " elements, more than the rest of the file holds (truncated?)");
        }
        if (!storages.emplace(key->text, StorageBytes{data + pos, count * elementSize}).second) {
            fail(path, "legacy storage '" + key->text + "' is listed twice");
        }
        pos += count * elementSize;
    }
    const PickleValue& dict = selectStateDict(path, *root, subkey);
    const StorageLookup lookup = [&](const std::string& key) -> std::optional<StorageBytes> {
        const auto it = storages.find(key);
        if (it == storages.end()) {
            return std::nullopt;
        }
        return it->second;
    };
    return buildTensors(path, dict, lookup, floatDtype);
}

TensorMap readCheckpoint(const std::string& path, std::optional<torch::Dtype> floatDtype,
                         const std::string& subkey) {
    if (!hostIsLittleEndian()) {
        fail(path, "PyTorch checkpoints can only be read on a little-endian machine");
    }
    const std::string format = detect_weights_format(path);
    if (format == "torch-zip") {
        return readZip(path, floatDtype, subkey);
    }
    if (format == "torch-legacy") {
        return readLegacy(path, floatDtype, subkey);
    }
    if (format == "torchscript") {
        fail(path, "is a TorchScript archive (torch.jit.save), not a state dict checkpoint");
    }
    if (format == "safetensors") {
        fail(path, "is a safetensors file, not a PyTorch checkpoint (read it with read_safetensors)");
    }
    if (format == "zip") {
        fail(path, "is a zip archive without '<archive>/data.pkl': not a PyTorch checkpoint");
    }
    if (format == "pickle") {
        fail(path, "is a bare pickle, not a file written by torch.save");
    }
    fail(path, "is not a PyTorch checkpoint (neither the zip nor the legacy torch.save format)");
}

} // namespace

std::string detect_weights_format(const std::string& path) {
    const MappedFile file = MappedFile::open(path);
    const uint8_t* d = file.data();
    const uint64_t n = file.size();
    if (n >= 4 && std::memcmp(d, "PK\x03\x04", 4) == 0) {
        try {
            const ZipArchive zip = ZipArchive::open(path);
            archivePrefix(zip);
            return "torch-zip";
        } catch (const std::runtime_error& e) {
            const std::string what = e.what();
            if (what.find("TorchScript") != std::string::npos) {
                return "torchscript";
            }
            if (what.find("without '<archive>/data.pkl'") != std::string::npos) {
                return "zip";
            }
            return "torch-zip"; // a damaged archive: let the reader report exactly what is wrong
        }
    }
    // safetensors before pickles: a header length such as 0x180 starts with the bytes 0x80 0x01, which look
    // like a pickle PROTO opcode.
    if (n >= 10) {
        uint64_t headerLen = 0;
        for (int i = 7; i >= 0; --i) {
            headerLen = (headerLen << 8) | d[i];
        }
        if (headerLen >= 2 && headerLen <= n - 8 && d[8] == '{') {
            return "safetensors";
        }
    }
    if (n >= sizeof kLegacyMagic && std::memcmp(d, kLegacyMagic, sizeof kLegacyMagic) == 0) {
        return "torch-legacy";
    }
    if (n >= 2 && d[0] == 0x80 && d[1] <= 5) {
        return "pickle";
    }
    return "unknown";
}

TensorMap read_torch_checkpoint(const std::string& path, torch::Dtype floatDtype, const std::string& subkey) {
    return readCheckpoint(path, floatDtype, subkey);
}

TensorMap read_torch_checkpoint_raw(const std::string& path, const std::string& subkey) {
    return readCheckpoint(path, std::nullopt, subkey);
}

} // namespace mb::ml
