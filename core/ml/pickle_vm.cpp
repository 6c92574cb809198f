#include "ml/pickle_vm.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <unordered_map>

namespace mb::ml {

namespace {

struct StorageTypeEntry {
    StorageDtype dtype;
    const char* name;
    size_t elementSize;
    bool floating;
};

constexpr StorageTypeEntry kStorageTypes[] = {
    {StorageDtype::Float32, "FloatStorage", 4, true}, {StorageDtype::Float64, "DoubleStorage", 8, true},
    {StorageDtype::Float16, "HalfStorage", 2, true},  {StorageDtype::BFloat16, "BFloat16Storage", 2, true},
    {StorageDtype::Int64, "LongStorage", 8, false},   {StorageDtype::Int32, "IntStorage", 4, false},
    {StorageDtype::Int16, "ShortStorage", 2, false},  {StorageDtype::Int8, "CharStorage", 1, false},
    {StorageDtype::UInt8, "ByteStorage", 1, false},   {StorageDtype::Bool, "BoolStorage", 1, false},
};

const StorageTypeEntry& storageEntry(StorageDtype dtype) {
    for (const auto& e : kStorageTypes) {
        if (e.dtype == dtype) {
            return e;
        }
    }
    throw std::logic_error("unknown StorageDtype");
}

/** The callables and types the allow-list knows. */
enum class GlobalId { OrderedDict, RebuildTensorV2, RebuildParameter, StorageType };

struct AllowedGlobal {
    GlobalId id;
    StorageDtype dtype; // StorageType only
};

const std::map<std::string, AllowedGlobal>& allowList() {
    static const std::map<std::string, AllowedGlobal> list = [] {
        std::map<std::string, AllowedGlobal> m;
        m["collections.OrderedDict"] = {GlobalId::OrderedDict, StorageDtype::Float32};
        m["torch._utils._rebuild_tensor_v2"] = {GlobalId::RebuildTensorV2, StorageDtype::Float32};
        m["torch._utils._rebuild_parameter"] = {GlobalId::RebuildParameter, StorageDtype::Float32};
        for (const auto& e : kStorageTypes) {
            m[std::string("torch.") + e.name] = {GlobalId::StorageType, e.dtype};
        }
        return m;
    }();
    return list;
}

/** Printable, bounded rendering of untrusted text for error messages. */
std::string printable(const std::string& s, size_t maxLen = 80) {
    std::string out;
    for (size_t i = 0; i < s.size() && i < maxLen; ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
    }
    if (s.size() > maxLen) {
        out += "...";
    }
    return out;
}

std::string hexByte(uint8_t b) {
    static const char* digits = "0123456789abcdef";
    return std::string("0x") + digits[b >> 4] + digits[b & 15];
}

/** Names of opcodes this interpreter refuses, so messages say what was found. */
const char* refusedOpcodeName(uint8_t op) {
    switch (op) {
    case 'i':
        return "INST (creates an object of any class)";
    case 'o':
        return "OBJ (creates an object of any class)";
    case 0x81:
        return "NEWOBJ (calls cls.__new__)";
    case 0x92:
        return "NEWOBJ_EX (calls cls.__new__)";
    case 'P':
        return "PERSID (text persistent id)";
    case 0x82:
    case 0x83:
    case 0x84:
        return "EXT1/EXT2/EXT4 (extension registry lookup)";
    case 0x8f:
        return "EMPTY_SET";
    case 0x90:
        return "ADDITEMS";
    case 0x91:
        return "FROZENSET";
    case 0x96:
        return "BYTEARRAY8";
    case 0x97:
        return "NEXT_BUFFER (out-of-band buffer)";
    case 0x98:
        return "READONLY_BUFFER";
    case 'I':
        return "INT (text protocol 0)";
    case 'L':
        return "LONG (text protocol 0)";
    case 'F':
        return "FLOAT (text protocol 0)";
    case 'S':
        return "STRING (text protocol 0)";
    case 'V':
        return "UNICODE (text protocol 0)";
    case 'p':
        return "PUT (text protocol 0)";
    case 'g':
        return "GET (text protocol 0)";
    case 0x8b:
        return "LONG4";
    case '2':
        return "DUP";
    default:
        return nullptr;
    }
}

class Machine {
public:
    Machine(const uint8_t* data, size_t size, std::string source, const PickleLimits& limits)
        : m_data(data), m_size(size), m_source(std::move(source)), m_limits(limits) {}

    UnpickleResult run(bool allowTrailing);

private:
    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_opStart = 0;
    std::string m_source;
    PickleLimits m_limits;
    std::vector<PickleRef> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint64_t, PickleRef> m_memo;
    size_t m_values = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw std::runtime_error(m_source + ": " + what + " (pickle byte " + std::to_string(m_opStart) + ")");
    }

    const uint8_t* take(uint64_t count) {
        if (count > m_size - m_pos) {
            fail("pickle is truncated (needs " + std::to_string(count) + " more bytes, " +
                 std::to_string(m_size - m_pos) + " left)");
        }
        const uint8_t* p = m_data + m_pos;
        m_pos += static_cast<size_t>(count);
        return p;
    }
    uint64_t readLE(int bytes) {
        const uint8_t* p = take(static_cast<uint64_t>(bytes));
        uint64_t v = 0;
        for (int i = bytes - 1; i >= 0; --i) {
            v = (v << 8) | p[i];
        }
        return v;
    }
    std::string readLine() {
        constexpr size_t kMaxLine = 256;
        const size_t start = m_pos;
        while (m_pos < m_size && m_data[m_pos] != '\n') {
            if (m_pos - start >= kMaxLine) {
                fail("GLOBAL name longer than " + std::to_string(kMaxLine) + " bytes");
            }
            ++m_pos;
        }
        if (m_pos >= m_size) {
            fail("pickle is truncated inside a GLOBAL name");
        }
        std::string line(reinterpret_cast<const char*>(m_data + start), m_pos - start);
        ++m_pos; // the newline
        return line;
    }

    PickleRef make(PickleValue::Kind kind) {
        if (++m_values > m_limits.maxValues) {
            fail("more than " + std::to_string(m_limits.maxValues) + " objects (not a state dict)");
        }
        auto v = std::make_shared<PickleValue>();
        v->kind = kind;
        if (kind == PickleValue::Kind::Tuple || kind == PickleValue::Kind::List ||
            kind == PickleValue::Kind::Dict) {
            v->depth = 1;
        }
        return v;
    }
    PickleRef makeString(PickleValue::Kind kind, uint64_t length) {
        const uint8_t* p = take(length);
        PickleRef v = make(kind);
        v->text.assign(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
        return v;
    }
    PickleRef makeInt(int64_t i) {
        PickleRef v = make(PickleValue::Kind::Int);
        v->integer = i;
        return v;
    }

    PickleRef pop() {
        if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back())) {
            fail("stack underflow");
        }
        PickleRef v = std::move(m_stack.back());
        m_stack.pop_back();
        return v;
    }
    PickleValue& top() {
        if (m_stack.empty() || (!m_marks.empty() && m_stack.size() <= m_marks.back())) {
            fail("stack underflow");
        }
        return *m_stack.back();
    }
    std::vector<PickleRef> popToMark() {
        if (m_marks.empty()) {
            fail("MARK expected but none is set");
        }
        const size_t mark = m_marks.back();
        m_marks.pop_back();
        std::vector<PickleRef> items(
            std::make_move_iterator(m_stack.begin() + static_cast<std::ptrdiff_t>(mark)),
            std::make_move_iterator(m_stack.end()));
        m_stack.resize(mark);
        return items;
    }

    /** Records that `child` now lives inside `parent`: freezes the child and updates the parent's depth. */
    void adopt(PickleValue& parent, const PickleRef& child) {
        child->frozen = true;
        parent.depth = std::max(parent.depth, child->depth + 1);
        if (parent.depth > m_limits.maxDepth) {
            fail("objects nested deeper than " + std::to_string(m_limits.maxDepth) +
                 " levels (recursion bomb?); state dicts are a few levels deep");
        }
    }
    void requireMutable(const PickleValue& target, const char* opcode) {
        if (target.frozen) {
            fail(std::string(opcode) + " modifies a " + target.describe() +
                 " that is already stored inside another object (a self-referencing or cyclic structure)");
        }
    }

    PickleRef makeSequence(PickleValue::Kind kind, std::vector<PickleRef> items) {
        PickleRef v = make(kind);
        for (const auto& item : items) {
            adopt(*v, item);
        }
        v->items = std::move(items);
        return v;
    }

    void setItem(PickleValue& dict, const PickleRef& key, const PickleRef& value) {
        std::string canonical;
        if (key->kind == PickleValue::Kind::String) {
            canonical = "s" + key->text;
        } else if (key->kind == PickleValue::Kind::Int) {
            canonical = "i" + std::to_string(key->integer);
        } else {
            fail("dict key of type " + key->describe() + " is not supported (only str and int keys)");
        }
        adopt(dict, key);
        adopt(dict, value);
        const auto it = dict.index.find(canonical);
        if (it != dict.index.end()) {
            dict.entries[it->second].second = value; // Python semantics: the later value wins
        } else {
            dict.index.emplace(std::move(canonical), dict.entries.size());
            dict.entries.emplace_back(key, value);
        }
    }

    void memoPut(uint64_t id) {
        if (m_stack.empty()) {
            fail("memo store with an empty stack");
        }
        m_memo[id] = m_stack.back();
    }
    void memoGet(uint64_t id) {
        const auto it = m_memo.find(id);
        if (it == m_memo.end()) {
            fail("memo id " + std::to_string(id) + " was never stored (out of range)");
        }
        m_stack.push_back(it->second);
    }

    void pushGlobal(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        const auto it = allowList().find(full);
        if (it == allowList().end()) {
            fail(
                "global '" + printable(full) +
                "' is not allowed (a checkpoint may only name collections.OrderedDict, "
                "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and torch.*Storage types); "
                "refusing to load it");
        }
        PickleRef v = make(it->second.id == GlobalId::StorageType ? PickleValue::Kind::StorageType
                                                                  : PickleValue::Kind::Global);
        v->text = full;
        v->dtype = it->second.dtype;
        m_stack.push_back(std::move(v));
    }

    void persistentLoad() {
        const PickleRef pid = pop();
        const auto& it = pid->items;
        if (pid->kind != PickleValue::Kind::Tuple || (it.size() != 5 && it.size() != 6) ||
            it[0]->kind != PickleValue::Kind::String || it[0]->text != "storage") {
            fail("persistent id " + pid->describe() + " is not a torch.serialization storage id");
        }
        if (it[1]->kind != PickleValue::Kind::StorageType) {
            fail("persistent storage id names " + it[1]->describe() + " instead of a torch.*Storage type");
        }
        if (it[2]->kind != PickleValue::Kind::String || it[2]->text.empty() || it[2]->text.size() > 64 ||
            !std::all_of(it[2]->text.begin(), it[2]->text.end(),
                         [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; })) {
            fail("persistent storage id has an invalid key " + it[2]->describe());
        }
        if (it[3]->kind != PickleValue::Kind::String) {
            fail("persistent storage id has a location of type " + it[3]->describe());
        }
        if (it[4]->kind != PickleValue::Kind::Int || it[4]->integer < 0) {
            fail("persistent storage id has an invalid element count " + it[4]->describe());
        }
        if (it.size() == 6 && it[5]->kind != PickleValue::Kind::None) {
            fail("storage views (legacy view metadata) are not supported");
        }
        PickleRef storage = make(PickleValue::Kind::Storage);
        storage->dtype = it[1]->dtype;
        storage->text = it[2]->text;
        storage->location = printable(it[3]->text, 32);
        storage->integer = it[4]->integer;
        m_stack.push_back(std::move(storage));
    }

    static bool isEmptyDict(const PickleValue& v) {
        return v.kind == PickleValue::Kind::Dict && v.entries.empty();
    }

    std::vector<int64_t> intTuple(const PickleValue& v, const char* what) {
        if (v.kind != PickleValue::Kind::Tuple) {
            fail(std::string("tensor ") + what + " is a " + v.describe() + ", not a tuple");
        }
        if (v.items.size() > m_limits.maxTensorRank) {
            fail("tensor has " + std::to_string(v.items.size()) + " dimensions (limit " +
                 std::to_string(m_limits.maxTensorRank) + ")");
        }
        std::vector<int64_t> out;
        for (const auto& item : v.items) {
            if (item->kind != PickleValue::Kind::Int || item->integer < 0) {
                fail(std::string("tensor ") + what + " holds " + item->describe() +
                     " (must be non-negative ints)");
            }
            out.push_back(item->integer);
        }
        return out;
    }

    PickleRef rebuildTensor(const PickleValue& args) {
        const auto& a = args.items;
        if (a.size() != 6 && a.size() != 7) {
            fail("torch._utils._rebuild_tensor_v2 called with " + std::to_string(a.size()) +
                 " arguments (expects 6 or 7)");
        }
        if (a[0]->kind != PickleValue::Kind::Storage) {
            fail("torch._utils._rebuild_tensor_v2 given " + a[0]->describe() + " instead of a storage");
        }
        if (a[1]->kind != PickleValue::Kind::Int || a[1]->integer < 0) {
            fail("tensor storage offset " + a[1]->describe() + " is not a non-negative int");
        }
        PickleRef t = make(PickleValue::Kind::Tensor);
        t->sizes = intTuple(*a[2], "size");
        t->strides = intTuple(*a[3], "stride");
        if (t->sizes.size() != t->strides.size()) {
            fail("tensor has " + std::to_string(t->sizes.size()) + " sizes but " +
                 std::to_string(t->strides.size()) + " strides");
        }
        if (a[4]->kind != PickleValue::Kind::Bool) {
            fail("tensor requires_grad is " + a[4]->describe() + ", not a bool");
        }
        if (!isEmptyDict(*a[5])) {
            fail("tensor carries backward hooks (" + a[5]->describe() + "); refusing");
        }
        if (a.size() == 7 && a[6]->kind != PickleValue::Kind::None && !isEmptyDict(*a[6])) {
            fail("tensor carries metadata (" + a[6]->describe() + "), which is not supported");
        }
        const PickleValue& storage = *a[0];
        uint64_t extent = 0;
        if (!tensor_storage_extent(a[1]->integer, t->sizes, t->strides, extent)) {
            fail("tensor shape/stride/offset overflow 64-bit arithmetic");
        }
        if (extent > static_cast<uint64_t>(storage.integer)) {
            fail("tensor view (offset " + std::to_string(a[1]->integer) + ") reaches element " +
                 std::to_string(extent) + " of storage '" + printable(storage.text) +
                 "', which declares only " + std::to_string(storage.integer) + " elements");
        }
        t->integer = a[1]->integer;
        t->boolean = a[4]->boolean;
        t->dtype = storage.dtype;
        t->text = storage.text;
        t->location = storage.location;
        t->storageNumel = storage.integer;
        t->depth = 1;
        return t;
    }

    void reduce() {
        const PickleRef args = pop();
        const PickleRef callable = pop();
        if (callable->kind != PickleValue::Kind::Global) {
            fail("REDUCE on " + callable->describe() + " is not allowed (not an allowed callable)");
        }
        if (args->kind != PickleValue::Kind::Tuple) {
            fail("REDUCE of " + callable->describe() + " with arguments that are a " + args->describe());
        }
        args->frozen = true;
        const GlobalId id = allowList().at(callable->text).id;
        if (id == GlobalId::OrderedDict) {
            if (!args->items.empty()) {
                fail("collections.OrderedDict called with arguments (only OrderedDict() is supported)");
            }
            PickleRef d = make(PickleValue::Kind::Dict);
            d->ordered = true;
            m_stack.push_back(std::move(d));
        } else if (id == GlobalId::RebuildTensorV2) {
            m_stack.push_back(rebuildTensor(*args));
        } else if (id == GlobalId::RebuildParameter) {
            const auto& a = args->items;
            if (a.size() != 3 || a[0]->kind != PickleValue::Kind::Tensor ||
                a[1]->kind != PickleValue::Kind::Bool || !isEmptyDict(*a[2])) {
                fail(
                    "torch._utils._rebuild_parameter needs (tensor, bool, empty hooks); got other arguments");
            }
            PickleRef t = make(PickleValue::Kind::Tensor);
            *t = *a[0];
            t->frozen = false;
            t->boolean = a[1]->boolean;
            m_stack.push_back(std::move(t));
        } else {
            fail("REDUCE on " + callable->describe() + " is not allowed");
        }
    }

    void build() {
        const PickleRef state = pop();
        PickleValue& target = top();
        // An OrderedDict state dict pickles its __dict__ ({'_metadata': ...}) as BUILD state: ignore it.
        if (target.kind == PickleValue::Kind::Dict &&
            (state->kind == PickleValue::Kind::Dict || state->kind == PickleValue::Kind::None)) {
            return;
        }
        fail("BUILD on " + target.describe() + " with state " + state->describe() + " is not allowed");
    }
};

UnpickleResult Machine::run(bool allowTrailing) {
    using K = PickleValue::Kind;
    while (true) {
        m_opStart = m_pos;
        if (m_pos >= m_size) {
            fail("pickle ends without STOP (truncated)");
        }
        const uint8_t op = m_data[m_pos++];
        switch (op) {
        case 0x80: { // PROTO
            const uint64_t version = readLE(1);
            if (version > 5) {
                fail("pickle protocol " + std::to_string(version) + " is newer than 5");
            }
            break;
        }
        case 0x95: { // FRAME: a length prefix only; the bytes follow inline
            const uint64_t length = readLE(8);
            if (length > m_size - m_pos) {
                fail("FRAME of " + std::to_string(length) + " bytes runs past the end of the pickle");
            }
            break;
        }
        case 'c': { // GLOBAL
            const std::string module = readLine();
            const std::string name = readLine();
            pushGlobal(module, name);
            break;
        }
        case 0x93: { // STACK_GLOBAL
            const PickleRef name = pop();
            const PickleRef module = pop();
            if (module->kind != K::String || name->kind != K::String) {
                fail("STACK_GLOBAL needs two strings");
            }
            pushGlobal(module->text, name->text);
            break;
        }
        case '(': // MARK
            m_marks.push_back(m_stack.size());
            break;
        case '}': // EMPTY_DICT
            m_stack.push_back(make(K::Dict));
            break;
        case ']': // EMPTY_LIST
            m_stack.push_back(make(K::List));
            break;
        case ')': // EMPTY_TUPLE
            m_stack.push_back(make(K::Tuple));
            break;
        case 'N':
            m_stack.push_back(make(K::None));
            break;
        case 0x88:   // NEWTRUE
        case 0x89: { // NEWFALSE
            PickleRef v = make(K::Bool);
            v->boolean = op == 0x88;
            m_stack.push_back(std::move(v));
            break;
        }
        case 'J': // BININT (signed 32-bit)
            m_stack.push_back(makeInt(static_cast<int32_t>(static_cast<uint32_t>(readLE(4)))));
            break;
        case 'K': // BININT1
            m_stack.push_back(makeInt(static_cast<int64_t>(readLE(1))));
            break;
        case 'M': // BININT2
            m_stack.push_back(makeInt(static_cast<int64_t>(readLE(2))));
            break;
        case 0x8a: { // LONG1: n-byte two's complement little-endian
            const uint64_t n = readLE(1);
            if (n > 8) {
                fail("integer of " + std::to_string(n) + " bytes does not fit 64 bits");
            }
            uint64_t v = n ? readLE(static_cast<int>(n)) : 0;
            if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) {
                v |= ~uint64_t(0) << (8 * n); // sign-extend
            }
            int64_t signedValue = 0;
            std::memcpy(&signedValue, &v, sizeof v);
            m_stack.push_back(makeInt(signedValue));
            break;
        }
        case 'G': { // BINFLOAT: big-endian IEEE double
            const uint8_t* p = take(8);
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i) {
                bits = (bits << 8) | p[i];
            }
            PickleRef v = make(K::Float);
            std::memcpy(&v->number, &bits, sizeof bits);
            m_stack.push_back(std::move(v));
            break;
        }
        case 'X': // BINUNICODE
            m_stack.push_back(makeString(K::String, readLE(4)));
            break;
        case 0x8c: // SHORT_BINUNICODE
            m_stack.push_back(makeString(K::String, readLE(1)));
            break;
        case 0x8d: // BINUNICODE8
            m_stack.push_back(makeString(K::String, readLE(8)));
            break;
        case 'T': // BINSTRING (Python 2 str)
            m_stack.push_back(makeString(K::String, readLE(4)));
            break;
        case 'U': // SHORT_BINSTRING
            m_stack.push_back(makeString(K::String, readLE(1)));
            break;
        case 'B': // BINBYTES
            m_stack.push_back(makeString(K::Bytes, readLE(4)));
            break;
        case 'C': // SHORT_BINBYTES
            m_stack.push_back(makeString(K::Bytes, readLE(1)));
            break;
        case 0x8e: // BINBYTES8
            m_stack.push_back(makeString(K::Bytes, readLE(8)));
            break;
        case 't': // TUPLE
            m_stack.push_back(makeSequence(K::Tuple, popToMark()));
            break;
        case 0x85:   // TUPLE1
        case 0x86:   // TUPLE2
        case 0x87: { // TUPLE3
            std::vector<PickleRef> items(static_cast<size_t>(op - 0x84));
            for (size_t i = items.size(); i-- > 0;) {
                items[i] = pop();
            }
            m_stack.push_back(makeSequence(K::Tuple, std::move(items)));
            break;
        }
        case 'l': // LIST
            m_stack.push_back(makeSequence(K::List, popToMark()));
            break;
        case 'd': { // DICT
            std::vector<PickleRef> items = popToMark();
            if (items.size() % 2) {
                fail("DICT with an odd number of items");
            }
            PickleRef d = make(K::Dict);
            for (size_t i = 0; i < items.size(); i += 2) {
                setItem(*d, items[i], items[i + 1]);
            }
            m_stack.push_back(std::move(d));
            break;
        }
        case 'a': { // APPEND
            PickleRef value = pop();
            PickleValue& list = top();
            if (list.kind != K::List) {
                fail("APPEND to a " + list.describe());
            }
            adopt(list, value);
            requireMutable(list, "APPEND");
            list.items.push_back(std::move(value));
            break;
        }
        case 'e': { // APPENDS
            std::vector<PickleRef> items = popToMark();
            PickleValue& list = top();
            if (list.kind != K::List) {
                fail("APPENDS to a " + list.describe());
            }
            for (auto& item : items) {
                adopt(list, item);
            }
            requireMutable(list, "APPENDS");
            list.items.insert(list.items.end(), items.begin(), items.end());
            break;
        }
        case 's': { // SETITEM
            PickleRef value = pop();
            PickleRef key = pop();
            PickleValue& dict = top();
            if (dict.kind != K::Dict) {
                fail("SETITEM on a " + dict.describe());
            }
            setItem(dict, key, value);
            requireMutable(dict, "SETITEM");
            break;
        }
        case 'u': { // SETITEMS
            std::vector<PickleRef> items = popToMark();
            PickleValue& dict = top();
            if (dict.kind != K::Dict) {
                fail("SETITEMS on a " + dict.describe());
            }
            if (items.size() % 2) {
                fail("SETITEMS with an odd number of items");
            }
            for (size_t i = 0; i < items.size(); i += 2) {
                setItem(dict, items[i], items[i + 1]);
            }
            requireMutable(dict, "SETITEMS");
            break;
        }
        case 'q': // BINPUT
            memoPut(readLE(1));
            break;
        case 'r': // LONG_BINPUT
            memoPut(readLE(4));
            break;
        case 0x94: // MEMOIZE
            memoPut(m_memo.size());
            break;
        case 'h': // BINGET
            memoGet(readLE(1));
            break;
        case 'j': // LONG_BINGET
            memoGet(readLE(4));
            break;
        case 'Q': // BINPERSID
            persistentLoad();
            break;
        case 'R': // REDUCE
            reduce();
            break;
        case 'b': // BUILD
            build();
            break;
        case '0': // POP
            if (!m_marks.empty() && m_stack.size() == m_marks.back()) {
                m_marks.pop_back(); // POP of a bare mark, as pickletools allows
            } else {
                pop();
            }
            break;
        case '1': // POP_MARK
            popToMark();
            break;
        case '.': { // STOP
            PickleRef result = pop();
            if (!m_stack.empty() || !m_marks.empty()) {
                fail("STOP with " + std::to_string(m_stack.size()) + " extra stack items");
            }
            if (!allowTrailing && m_pos != m_size) {
                fail(std::to_string(m_size - m_pos) +
                     " bytes follow STOP (a second, nested or concatenated pickle is not allowed)");
            }
            return {std::move(result), m_pos};
        }
        default: {
            const char* name = refusedOpcodeName(op);
            fail(std::string("opcode ") + hexByte(op) +
                 (name ? std::string(" ") + name : std::string(" (unknown)")) +
                 " is not allowed in a checkpoint");
        }
        }
    }
}

} // namespace

size_t storage_element_size(StorageDtype dtype) {
    return storageEntry(dtype).elementSize;
}
const char* storage_type_name(StorageDtype dtype) {
    return storageEntry(dtype).name;
}
bool storage_is_floating(StorageDtype dtype) {
    return storageEntry(dtype).floating;
}

std::string PickleValue::describe() const {
    switch (kind) {
    case Kind::None:
        return "None";
    case Kind::Bool:
        return "bool";
    case Kind::Int:
        return "int " + std::to_string(integer);
    case Kind::Float:
        return "float";
    case Kind::String:
        return "str '" + printable(text, 40) + "'";
    case Kind::Bytes:
        return "bytes";
    case Kind::Tuple:
        return "tuple of " + std::to_string(items.size());
    case Kind::List:
        return "list";
    case Kind::Dict:
        return ordered ? "OrderedDict" : "dict";
    case Kind::Global:
        return "global '" + text + "'";
    case Kind::StorageType:
        return "storage type torch." + std::string(storage_type_name(dtype));
    case Kind::Storage:
        return "storage";
    case Kind::Tensor:
        return "tensor";
    }
    return "object";
}

const PickleValue* PickleValue::find(const std::string& key) const {
    if (kind != Kind::Dict) {
        return nullptr;
    }
    const auto it = index.find("s" + key);
    return it == index.end() ? nullptr : entries[it->second].second.get();
}

bool tensor_storage_extent(int64_t offset, const std::vector<int64_t>& sizes,
                           const std::vector<int64_t>& strides, uint64_t& extent) {
    if (offset < 0 || sizes.size() != strides.size()) {
        return false;
    }
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
    uint64_t last = static_cast<uint64_t>(offset);
    uint64_t numel = 1;
    for (size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] < 0 || strides[i] < 0) {
            return false;
        }
        if (sizes[i] == 0) {
            extent = 0;
            numel = 0;
            continue;
        }
        const uint64_t size = static_cast<uint64_t>(sizes[i]);
        const uint64_t stride = static_cast<uint64_t>(strides[i]);
        if (numel != 0 && size > kMax / numel) {
            return false; // the element count itself overflows
        }
        numel = numel == 0 ? 0 : numel * size;
        if (stride != 0 && size - 1 > (kMax - last) / stride) {
            return false;
        }
        last += (size - 1) * stride;
    }
    extent = numel == 0 ? 0 : last + 1;
    return true;
}

UnpickleResult unpickle(const uint8_t* data, size_t size, const std::string& source, bool allowTrailing,
                        const PickleLimits& limits) {
    Machine machine(data, size, source, limits);
    return machine.run(allowTrailing);
}

} // namespace mb::ml
