#pragma once
/**
 * \file pickle_vm.h
 * \brief A restricted pickle interpreter for PyTorch checkpoints: builds data, never runs code.
 *
 * A pickle is a program for a small stack machine; Python's unpickler imports any `module.name` a GLOBAL
 * opcode names and calls whatever REDUCE is given, which is how a malicious checkpoint runs code. This
 * interpreter implements only the opcodes `torch.save` emits (protocol 2, plus the protocol 3–5 opcodes for
 * bytes, short strings, framing, STACK_GLOBAL and MEMOIZE) and builds only plain data: None, booleans,
 * 64-bit integers, floats, strings, bytes, tuples, lists, dicts/OrderedDicts, and tensor *descriptions*.
 *
 * Globals are an explicit allow-list, looked up by name; nothing is ever imported or called:
 *  - `collections.OrderedDict`            REDUCE with no arguments → an empty ordered dict
 *  - `torch._utils._rebuild_tensor_v2`     REDUCE (storage, offset, size, stride, requires_grad, hooks[,
 * metadata])
 *  - `torch._utils._rebuild_parameter`     REDUCE (tensor, requires_grad, hooks) → the tensor
 *  - `torch.{Float,Double,Half,BFloat16,Long,Int,Short,Char,Byte,Bool}Storage`  storage types, only usable
 *    inside a persistent id
 * and persistent ids (BINPERSID) must be `torch.serialization`'s storage ids
 * `('storage', <StorageType>, key, location, numel)` (a sixth `None` view field, as legacy files have, is
 * accepted). Everything else — any other global, REDUCE on anything but the callables above, BUILD on
 * anything but a dict (whose state, the `_metadata` of a state dict, is discarded), object-creating opcodes
 * (INST, OBJ, NEWOBJ), extension codes, sets, out-of-band buffers, text-mode opcodes, memo ids never stored,
 * mutating an object already stored inside another (the only way to make cycles), nesting deeper than
 * `maxDepth`, or bytes after STOP — throws std::runtime_error naming the source and the global or opcode.
 *
 * Plain C++ (no torch): tensors come out as TensorRecords (storage key, dtype, offset, sizes, strides) whose
 * element extent has been checked against the storage's declared element count; the caller checks the
 * storage against its real bytes before making a tensor.
 */
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mb::ml {

/** Element types of PyTorch's typed storages. */
enum class StorageDtype { Float32, Float64, Float16, BFloat16, Int64, Int32, Int16, Int8, UInt8, Bool };

/** Bytes per element. */
size_t storage_element_size(StorageDtype dtype);
/** The storage class name: "FloatStorage", "HalfStorage", ... */
const char* storage_type_name(StorageDtype dtype);
/** True for the floating-point storage types. */
bool storage_is_floating(StorageDtype dtype);

struct PickleValue;
using PickleRef = std::shared_ptr<PickleValue>;

/** One value built by the interpreter. A fat struct: only the fields of its `kind` are meaningful. */
struct PickleValue {
    enum class Kind {
        None,
        Bool,
        Int,
        Float,
        String,
        Bytes,
        Tuple,
        List,
        Dict,
        Global,
        StorageType,
        Storage,
        Tensor
    };
    Kind kind = Kind::None;

    bool boolean = false; ///< Bool; Tensor: requires_grad
    int64_t integer = 0;  ///< Int; Storage: declared element count; Tensor: storage offset (elements)
    double number = 0;    ///< Float
    std::string text;     ///< String/Bytes content; Global: "module.name"; Storage: key; Tensor: storage key
    std::string location; ///< Storage: device string as saved ("cpu", "cuda:0")
    StorageDtype dtype = StorageDtype::Float32;           ///< StorageType, Storage, Tensor
    std::vector<PickleRef> items;                         ///< Tuple, List
    std::vector<std::pair<PickleRef, PickleRef>> entries; ///< Dict, in insertion order
    std::map<std::string, size_t> index;                  ///< Dict: canonical key → position in entries
    bool ordered = false;                                 ///< Dict: built as collections.OrderedDict
    int64_t storageNumel = 0;                             ///< Tensor: its storage's declared element count
    std::vector<int64_t> sizes, strides;                  ///< Tensor

    int depth = 0;       ///< container nesting depth (0 for scalars)
    bool frozen = false; ///< stored inside another object: may no longer change

    /** "dict", "tensor", "global torch._utils._rebuild_tensor_v2", ... for messages. */
    std::string describe() const;
    /** Dict lookup by string key; nullptr when absent or not a dict. */
    const PickleValue* find(const std::string& key) const;
};

/** Safety limits of one unpickling run. */
struct PickleLimits {
    int maxDepth = 100;         ///< containers nested deeper than this are refused
    size_t maxTensorRank = 64;  ///< tensors with more dimensions are refused
    size_t maxValues = 4000000; ///< objects built in total (a 1.4 G-parameter UNet state dict needs ~30 000)
};

/** Result of unpickling one pickle from a byte buffer. */
struct UnpickleResult {
    PickleRef value;
    size_t consumed = 0; ///< bytes up to and including STOP
};

/**
 * Interprets the pickle at `data` (size bytes). `source` names it in messages (e.g. "'unet.bin' entry
 * 'archive/data.pkl'"). With `allowTrailing` false (zip checkpoints), bytes after STOP are refused; legacy
 * checkpoints hold several pickles back to back and pass true. Throws std::runtime_error as described above.
 */
UnpickleResult unpickle(const uint8_t* data, size_t size, const std::string& source,
                        bool allowTrailing = false, const PickleLimits& limits = {});

/**
 * Number of storage elements a tensor view touches: 0 when any size is 0, else
 * offset + Σ (size_i − 1)·stride_i + 1. Returns false on negative values or 64-bit overflow.
 */
bool tensor_storage_extent(int64_t offset, const std::vector<int64_t>& sizes,
                           const std::vector<int64_t>& strides, uint64_t& extent);

} // namespace mb::ml
