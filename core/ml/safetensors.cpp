#include "ml/safetensors.h"

#include "doc/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace mb::ml {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "safetensors data is little-endian; this reader copies bytes as they are");

namespace {

struct DtypeEntry {
    const char* name;
    torch::Dtype dtype;
    uint64_t size;
};

constexpr DtypeEntry kDtypes[] = {
    {"F64", torch::kFloat64, 8},   {"F32", torch::kFloat32, 4}, {"F16", torch::kFloat16, 2},
    {"BF16", torch::kBFloat16, 2}, {"I64", torch::kInt64, 8},   {"I32", torch::kInt32, 4},
    {"I16", torch::kInt16, 2},     {"I8", torch::kInt8, 1},     {"U8", torch::kUInt8, 1},
    {"BOOL", torch::kBool, 1},
};

const DtypeEntry* findDtype(const std::string& name) {
    for (const auto& e : kDtypes) {
        if (name == e.name) {
            return &e;
        }
    }
    return nullptr;
}

const DtypeEntry* findDtype(torch::Dtype dtype) {
    for (const auto& e : kDtypes) {
        if (dtype == e.dtype) {
            return &e;
        }
    }
    return nullptr;
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error("safetensors file '" + path + "': " + what);
}

std::string lowerExtension(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
        return {};
    }
    std::string ext = path.substr(dot);
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext;
}

[[noreturn]] void refusePickle(const std::string& path) {
    throw std::runtime_error(
        "'" + path +
        "' is a pickled PyTorch checkpoint (.bin/.ckpt/.pt/.pth); it is never unpickled "
        "here. Convert it to safetensors first (same key names, e.g. with the "
        "safetensors Python package: save_file(torch.load(path), 'model.safetensors')).");
}

/** Reads a JSON integer that must be a non-negative whole number. */
uint64_t jsonUnsigned(const nlohmann::json& v, const std::string& path, const std::string& what) {
    if (v.is_number_unsigned()) {
        return v.get<uint64_t>();
    }
    if (v.is_number_integer()) {
        fail(path, what + " is negative");
    }
    fail(path, what + " is not a non-negative integer");
}

} // namespace

uint64_t TensorInfo::numel() const {
    uint64_t n = 1;
    for (int64_t d : shape) {
        n *= static_cast<uint64_t>(d);
    }
    return n;
}

bool is_pickle_checkpoint_name(const std::string& path) {
    const std::string ext = lowerExtension(path);
    return ext == ".bin" || ext == ".ckpt" || ext == ".pt" || ext == ".pth";
}

std::string safetensors_dtype_name(torch::Dtype dtype) {
    const DtypeEntry* e = findDtype(dtype);
    if (!e) {
        throw std::runtime_error(std::string("dtype ") + c10::toString(dtype) +
                                 " cannot be stored in a safetensors file");
    }
    return e->name;
}

struct SafetensorsFile::Mapping {
    void* address = nullptr;
    size_t size = 0;
    ~Mapping() {
        if (address) {
            munmap(address, size);
        }
    }
};

SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::string& path) {
    if (is_pickle_checkpoint_name(path)) {
        refusePickle(path);
    }
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(path, std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fail(path, std::string("cannot stat: ") + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    const uint64_t fileSize = static_cast<uint64_t>(st.st_size);
    if (fileSize < 8) {
        ::close(fd);
        fail(path, "file is " + std::to_string(fileSize) + " bytes, too short for the 8-byte header length");
    }
    auto mapping = std::make_shared<Mapping>();
    void* addr = mmap(nullptr, static_cast<size_t>(fileSize), PROT_READ, MAP_PRIVATE, fd, 0);
    const int mapErr = errno;
    ::close(fd); // the mapping keeps the file contents reachable
    if (addr == MAP_FAILED) {
        fail(path, std::string("cannot memory-map: ") + std::strerror(mapErr));
    }
    mapping->address = addr;
    mapping->size = static_cast<size_t>(fileSize);
    const auto* bytes = static_cast<const unsigned char*>(addr);

    if (std::memcmp(bytes, "PK\x03\x04", 4) == 0) {
        refusePickle(path); // zip container = torch.save() format, whatever the extension
    }
    uint64_t headerLen = 0;
    for (int i = 7; i >= 0; --i) {
        headerLen = (headerLen << 8) | bytes[i];
    }
    if (headerLen > kMaxHeaderBytes) {
        fail(path, "header length " + std::to_string(headerLen) + " exceeds the " +
                       std::to_string(kMaxHeaderBytes) + "-byte limit (not a safetensors file?)");
    }
    if (headerLen > fileSize - 8) {
        fail(path, "header length " + std::to_string(headerLen) + " runs past the end of the file (" +
                       std::to_string(fileSize) + " bytes; truncated?)");
    }
    if (headerLen < 2 || bytes[8] != '{') {
        fail(path, "header does not start with a JSON object");
    }

    // Parse, refusing duplicate top-level names (nlohmann would silently keep the last one).
    std::set<std::string> seenNames;
    std::string duplicate;
    nlohmann::json header;
    try {
        const char* begin = reinterpret_cast<const char*>(bytes + 8);
        header = nlohmann::json::parse(
            begin, begin + headerLen,
            [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
                if (depth == 1 && event == nlohmann::json::parse_event_t::key && duplicate.empty()) {
                    const std::string name = parsed.get<std::string>();
                    if (!seenNames.insert(name).second) {
                        duplicate = name;
                    }
                }
                return true;
            });
    } catch (const nlohmann::json::exception& e) {
        fail(path, std::string("header is not valid JSON: ") + e.what());
    }
    if (!duplicate.empty()) {
        fail(path, "tensor '" + duplicate + "' appears twice in the header");
    }
    if (!header.is_object()) {
        fail(path, "header is not a JSON object");
    }

    SafetensorsFile file;
    file.m_path = path;
    file.m_data = bytes + 8 + headerLen;
    file.m_dataSize = fileSize - 8 - headerLen;

    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const nlohmann::json& entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object()) {
                fail(path, "__metadata__ is not a JSON object");
            }
            for (auto m = entry.begin(); m != entry.end(); ++m) {
                if (!m.value().is_string()) {
                    fail(path, "__metadata__ entry '" + m.key() + "' is not a string");
                }
                file.m_metadata[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string where = "tensor '" + name + "'";
        if (!entry.is_object()) {
            fail(path, where + ": entry is not a JSON object");
        }
        for (const char* field : {"dtype", "shape", "data_offsets"}) {
            if (!entry.contains(field)) {
                fail(path, where + ": missing \"" + field + "\"");
            }
        }
        TensorInfo info;
        info.name = name;
        if (!entry["dtype"].is_string()) {
            fail(path, where + ": dtype is not a string");
        }
        info.dtypeName = entry["dtype"].get<std::string>();
        const DtypeEntry* dt = findDtype(info.dtypeName);
        if (!dt) {
            fail(path, where + ": unknown dtype \"" + info.dtypeName +
                           "\" (known: F64 F32 F16 BF16 I64 I32 I16 I8 U8 BOOL)");
        }
        info.dtype = dt->dtype;

        const nlohmann::json& shape = entry["shape"];
        if (!shape.is_array()) {
            fail(path, where + ": shape is not an array");
        }
        uint64_t count = 1;
        for (size_t d = 0; d < shape.size(); ++d) {
            const uint64_t dim = jsonUnsigned(shape[d], path, where + ": shape[" + std::to_string(d) + "]");
            if (dim > static_cast<uint64_t>(INT64_MAX)) {
                fail(path, where + ": shape[" + std::to_string(d) + "] is too large");
            }
            if (__builtin_mul_overflow(count, dim, &count)) {
                fail(path, where + ": shape " + shape.dump() + " overflows the element count");
            }
            info.shape.push_back(static_cast<int64_t>(dim));
        }
        uint64_t byteCount = 0;
        if (__builtin_mul_overflow(count, dt->size, &byteCount) || count > static_cast<uint64_t>(INT64_MAX)) {
            fail(path, where + ": shape " + shape.dump() + " overflows the byte size");
        }

        const nlohmann::json& offsets = entry["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2) {
            fail(path, where + ": data_offsets is not a [begin, end] pair");
        }
        info.dataBegin = jsonUnsigned(offsets[0], path, where + ": data_offsets[0]");
        info.dataEnd = jsonUnsigned(offsets[1], path, where + ": data_offsets[1]");
        if (info.dataEnd < info.dataBegin) {
            fail(path, where + ": data_offsets end " + std::to_string(info.dataEnd) + " is before begin " +
                           std::to_string(info.dataBegin));
        }
        if (info.dataEnd - info.dataBegin != byteCount) {
            fail(path, where + ": data_offsets span " + std::to_string(info.dataEnd - info.dataBegin) +
                           " bytes but dtype " + info.dtypeName + " × shape " + shape.dump() + " needs " +
                           std::to_string(byteCount));
        }
        if (info.dataEnd > file.m_dataSize) {
            fail(path, where + ": data_offsets end " + std::to_string(info.dataEnd) +
                           " lies past the end of the data section (" + std::to_string(file.m_dataSize) +
                           " bytes; truncated file?)");
        }
        file.m_infos.emplace(name, std::move(info));
    }

    // The format's own rule (the reference reader's validate()): sorted by offsets, the spans tile the data
    // section exactly: the first begins at 0, each begins where the one before ends (an empty tensor sits at
    // that point), the last ends at the end of the file. A gap or trailing bytes are data no tensor owns,
    // which a writer never produces and a crafted file can hide things in.
    std::vector<const TensorInfo*> bySpan;
    for (const auto& kv : file.m_infos) {
        bySpan.push_back(&kv.second);
    }
    std::sort(bySpan.begin(), bySpan.end(), [](const TensorInfo* a, const TensorInfo* b) {
        return a->dataBegin != b->dataBegin ? a->dataBegin < b->dataBegin : a->dataEnd < b->dataEnd;
    });
    uint64_t pos = 0;
    const TensorInfo* previous = nullptr;
    for (const TensorInfo* t : bySpan) {
        if (t->dataBegin < pos) {
            fail(path, "tensors '" + previous->name + "' and '" + t->name +
                           "' have overlapping data_offsets (bytes " + std::to_string(t->dataBegin) + ".." +
                           std::to_string(pos) + " of the data section)");
        }
        if (t->dataBegin > pos) {
            fail(path, "tensor '" + t->name + "' begins at byte " + std::to_string(t->dataBegin) +
                           " of the data section, but " +
                           (previous ? "tensor '" + previous->name + "' ends at byte " + std::to_string(pos)
                                     : std::string("the data section begins at byte 0")) +
                           ": " + std::to_string(t->dataBegin - pos) +
                           " bytes in between belong to no tensor (the spans must tile the data exactly)");
        }
        pos = t->dataEnd;
        previous = t;
    }
    if (pos != file.m_dataSize) {
        fail(path, "the tensors' data ends at byte " + std::to_string(pos) + " but the data section has " +
                       std::to_string(file.m_dataSize) + " bytes: " + std::to_string(file.m_dataSize - pos) +
                       " bytes at the end belong to no tensor (the spans must tile the data exactly)");
    }
    file.m_mapping = std::move(mapping);
    return file;
}

std::vector<std::string> SafetensorsFile::keys() const {
    std::vector<std::string> out;
    out.reserve(m_infos.size());
    for (const auto& kv : m_infos) {
        out.push_back(kv.first);
    }
    return out;
}

const TensorInfo& SafetensorsFile::info(const std::string& key) const {
    const auto it = m_infos.find(key);
    if (it == m_infos.end()) {
        fail(m_path, "no tensor named '" + key + "'");
    }
    return it->second;
}

uint64_t SafetensorsFile::dataBytes() const {
    uint64_t total = 0;
    for (const auto& kv : m_infos) {
        total += kv.second.byteSize();
    }
    return total;
}

torch::Tensor SafetensorsFile::rawTensor(const std::string& key) const {
    const TensorInfo& ti = info(key);
    // cpu: file bytes are read into host memory; loaders copy them into weights on any device
    torch::Tensor out = torch::empty(ti.shape, torch::TensorOptions().dtype(ti.dtype));
    if (ti.byteSize() > 0) {
        // memcpy rather than from_blob: the format does not promise element alignment inside the data.
        // cpu: `out` was made in host memory above
        std::memcpy(out.data_ptr(), m_data + ti.dataBegin, static_cast<size_t>(ti.byteSize()));
    }
    return out;
}

torch::Tensor SafetensorsFile::tensor(const std::string& key, torch::Dtype floatDtype) const {
    torch::Tensor t = rawTensor(key);
    if (t.is_floating_point() && t.scalar_type() != floatDtype) {
        t = t.to(floatDtype);
    }
    return t;
}

TensorMap read_safetensors(const std::string& path, torch::Dtype floatDtype) {
    const SafetensorsFile file = SafetensorsFile::open(path);
    TensorMap out;
    for (const std::string& key : file.keys()) {
        out.emplace(key, file.tensor(key, floatDtype));
    }
    return out;
}

namespace {

/** Writes all of `size` bytes to fd, retrying on short writes and EINTR. */
bool writeAll(int fd, const void* data, size_t size) {
    const auto* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        p += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

} // namespace

void write_safetensors(const std::string& path, const TensorMap& tensors,
                       const std::map<std::string, std::string>& metadata) {
    // Prepare contiguous CPU copies and the header first: nothing touches the disk if a dtype is wrong.
    std::vector<torch::Tensor> data;
    data.reserve(tensors.size());
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) {
        nlohmann::json meta = nlohmann::json::object();
        for (const auto& kv : metadata) {
            meta[kv.first] = kv.second;
        }
        header["__metadata__"] = meta;
    }
    uint64_t offset = 0;
    for (const auto& kv : tensors) { // std::map: sorted by name
        if (kv.first == "__metadata__") {
            fail(path, "a tensor cannot be named __metadata__");
        }
        if (!kv.second.defined()) {
            fail(path, "tensor '" + kv.first + "' is undefined");
        }
        const DtypeEntry* dt = findDtype(kv.second.scalar_type());
        if (!dt) {
            fail(path, "tensor '" + kv.first + "' has dtype " + c10::toString(kv.second.scalar_type()) +
                           ", which safetensors cannot store");
        }
        torch::Tensor t = kv.second.detach().to(torch::kCPU).contiguous();
        const uint64_t bytes = static_cast<uint64_t>(t.numel()) * dt->size;
        header[kv.first] = {
            {"dtype", dt->name}, {"shape", t.sizes().vec()}, {"data_offsets", {offset, offset + bytes}}};
        offset += bytes;
        data.push_back(std::move(t));
    }
    std::string headerText = header.dump();
    headerText.append((8 - headerText.size() % 8) % 8, ' '); // data section starts 8-byte aligned
    unsigned char lenBytes[8];
    uint64_t len = headerText.size();
    for (int i = 0; i < 8; ++i) {
        lenBytes[i] = static_cast<unsigned char>(len >> (8 * i));
    }

    // An existing directory, device or FIFO is refused; a symbolic link is written through to its target.
    const std::string target = checkWritableOutput(path);
    std::string tmpl = target + ".tmp-XXXXXX";
    std::vector<char> tmpName(tmpl.begin(), tmpl.end());
    tmpName.push_back('\0');
    const int fd = mkstemp(tmpName.data());
    if (fd < 0) {
        fail(path, std::string("cannot create a temporary file next to it: ") + std::strerror(errno));
    }
    auto abandon = [&](const std::string& what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmpName.data());
        fail(path, what + ": " + std::strerror(err));
    };
    if (fchmod(fd, 0644) != 0) {
        abandon("cannot set permissions of the temporary file");
    }
    if (!writeAll(fd, lenBytes, 8) || !writeAll(fd, headerText.data(), headerText.size())) {
        abandon("cannot write the header");
    }
    for (const torch::Tensor& t : data) {
        const size_t bytes = static_cast<size_t>(t.numel()) * t.element_size();
        if (bytes > 0 && !writeAll(fd, t.data_ptr(), bytes)) { // cpu: copied to the CPU above
            abandon("cannot write tensor data");
        }
    }
    if (fsync(fd) != 0) {
        abandon("cannot flush to disk");
    }
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpName.data());
        fail(path, std::string("cannot close the temporary file: ") + std::strerror(err));
    }
    moveIntoPlace(tmpName.data(), target, path);
}

} // namespace mb::ml
