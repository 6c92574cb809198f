#pragma once
/**
 * \file safetensors.h
 * \brief Reading and writing `.safetensors` weight files (the Hugging Face format), strictly validated.
 *
 * Format: an 8-byte little-endian header length N, N bytes of JSON, then the raw little-endian tensor data.
 * The JSON maps each tensor name to `{"dtype", "shape", "data_offsets": [begin, end]}` (offsets relative to
 * the start of the data section) plus an optional `"__metadata__"` string→string map.
 *
 * The reader memory-maps the file and checks everything before a single tensor is touched: the header
 * length (at most kMaxHeaderBytes, inside the file), the JSON, every dtype, every shape (overflow-checked
 * element count), that each tensor's byte span equals count × element size, that the spans tile the data
 * section exactly (sorted, the first begins at 0, each where the one before ends, the last at the end of the
 * file: no overlap, no gap, nothing left over, as the format requires), and that `__metadata__` holds only
 * strings. Any violation throws
 * std::runtime_error whose message names the file and the offending tensor or field.
 *
 * This reader refuses pickled PyTorch checkpoints (`.bin`, `.ckpt`, `.pt`, `.pth`): those go through the
 * restricted checkpoint reader (torch_checkpoint.h, via weights_file.h), which never executes pickle code.
 *
 * Tensors handed out are always copies (never views into the mapping), so they outlive the file object.
 */
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <torch/types.h>

namespace mb::ml {

/** Name → tensor, sorted by name (the order safetensors files are written in). */
using TensorMap = std::map<std::string, torch::Tensor>;

/** What the header says about one tensor. */
struct TensorInfo {
    std::string name;
    std::string dtypeName;      ///< as written in the file: "F32", "BF16", "I64", ...
    torch::Dtype dtype;         ///< the matching torch dtype
    std::vector<int64_t> shape; ///< may be empty (a scalar)
    uint64_t dataBegin = 0;     ///< byte offset inside the data section
    uint64_t dataEnd = 0;       ///< one past the last byte
    uint64_t numel() const;     ///< product of shape (1 for a scalar)
    uint64_t byteSize() const { return dataEnd - dataBegin; }
};

/** Largest JSON header accepted (a real 1.4 G-parameter UNet header is ~200 kB). */
constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

/** An open, validated, memory-mapped safetensors file. Movable, not copyable; unmaps on destruction. */
class SafetensorsFile {
public:
    /**
     * Maps and validates `path`. Throws std::runtime_error (naming the file and problem) when it cannot be
     * opened, is a pickled checkpoint, or breaks any rule listed in the file comment.
     */
    static SafetensorsFile open(const std::string& path);

    SafetensorsFile(SafetensorsFile&&) noexcept;
    SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
    SafetensorsFile(const SafetensorsFile&) = delete;
    SafetensorsFile& operator=(const SafetensorsFile&) = delete;
    ~SafetensorsFile();

    const std::string& path() const { return m_path; }
    /** Tensor names, sorted. */
    std::vector<std::string> keys() const;
    bool contains(const std::string& key) const { return m_infos.count(key) != 0; }
    /** Header entry of `key`; throws (naming file and key) when absent. */
    const TensorInfo& info(const std::string& key) const;
    /**
     * A copy of tensor `key` on the CPU. Floating-point tensors (F16/BF16/F32/F64) are converted to
     * `floatDtype`; integer and BOOL tensors keep their stored dtype.
     */
    torch::Tensor tensor(const std::string& key, torch::Dtype floatDtype = torch::kFloat32) const;
    /** A copy of tensor `key` in exactly its stored dtype. */
    torch::Tensor rawTensor(const std::string& key) const;
    /** The `__metadata__` map (empty when the file has none). */
    const std::map<std::string, std::string>& metadata() const { return m_metadata; }
    /** Sum of all tensors' byte sizes. */
    uint64_t dataBytes() const;

private:
    SafetensorsFile() = default;
    struct Mapping;
    std::string m_path;
    std::shared_ptr<Mapping> m_mapping;
    const unsigned char* m_data = nullptr; ///< start of the data section inside the mapping
    uint64_t m_dataSize = 0;
    std::map<std::string, TensorInfo> m_infos;
    std::map<std::string, std::string> m_metadata;
};

/** Every tensor of `path` (floating tensors converted to `floatDtype`, integer ones unchanged). */
TensorMap read_safetensors(const std::string& path, torch::Dtype floatDtype = torch::kFloat32);

/**
 * Writes `tensors` (any supported dtype, any device/layout: made contiguous CPU first) to `path`
 * atomically: a temporary file in the same folder is written, fsync'ed and renamed over `path`, so readers
 * never see a half-written file. Keys are written sorted; the header is padded with spaces to a multiple
 * of 8 bytes so the data section is 8-byte aligned. Throws std::runtime_error naming the file on failure
 * (unsupported dtype, I/O error, disk full), leaving no temporary behind.
 */
void write_safetensors(const std::string& path, const TensorMap& tensors,
                       const std::map<std::string, std::string>& metadata = {});

/** True for file names that are pickled PyTorch checkpoints by extension (.bin .ckpt .pt .pth). */
bool is_pickle_checkpoint_name(const std::string& path);

/** The safetensors dtype name of a torch dtype ("F32", ...); throws for dtypes the format lacks. */
std::string safetensors_dtype_name(torch::Dtype dtype);

} // namespace mb::ml
