// Safetensors reader/writer: round trips, every reference file, and hostile files that must be refused
// with a message naming the file and the problem.
#include "ml/safetensors.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace fs = std::filesystem;
using mb::ml::SafetensorsFile;
using mb::ml::TensorMap;

namespace {

const std::string kReference = MB_TEST_DATA "/reference";

/** A fresh scratch folder per test, removed afterwards. */
class Scratch {
public:
    Scratch() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() /
                ("mb_safetensors_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
    }
    ~Scratch() { fs::remove_all(m_dir); }
    std::string file(const std::string& name) const { return (m_dir / name).string(); }
    const fs::path& dir() const { return m_dir; }

private:
    fs::path m_dir;
};

void writeBytes(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string lengthPrefix(uint64_t n) {
    std::string s(8, '\0');
    for (int i = 0; i < 8; ++i) {
        s[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    }
    return s;
}

/** A file made of a literal JSON header (not validated by us) and `dataBytes` zero bytes of data. */
std::string hostileFile(const Scratch& s, const std::string& name, const std::string& header,
                        size_t dataBytes) {
    const std::string path = s.file(name);
    writeBytes(path, lengthPrefix(header.size()) + header + std::string(dataBytes, '\0'));
    return path;
}

/** Expects open() to throw a runtime_error whose message contains the path and every fragment. */
void expectRefused(const std::string& path, const std::vector<std::string>& fragments) {
    try {
        SafetensorsFile::open(path);
        ADD_FAILURE() << "accepted hostile file " << path;
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << "message does not name the file: " << msg;
        for (const auto& f : fragments) {
            EXPECT_NE(msg.find(f), std::string::npos) << "message lacks '" << f << "': " << msg;
        }
    }
}

} // namespace

TEST(Safetensors, RoundTripEveryDtypeAndMetadata) {
    Scratch s;
    torch::manual_seed(3);
    TensorMap in;
    in["f32"] = torch::randn({3, 5});
    in["f64"] = torch::randn({2, 2}, torch::kFloat64);
    in["f16"] = torch::randn({7}).to(torch::kFloat16);
    in["bf16"] = torch::randn({2, 3, 1}).to(torch::kBFloat16);
    in["i64"] = torch::arange(-5, 6, torch::kInt64);
    in["i32"] = torch::arange(0, 9, torch::kInt32).reshape({3, 3});
    in["i16"] = torch::tensor({-300, 2, 301}, torch::kInt16);
    in["i8"] = torch::tensor({-1, 2, 3}, torch::kInt8);
    in["u8"] = torch::tensor({0, 128, 255}, torch::kUInt8);
    in["bool"] = torch::tensor({true, false, true});
    in["scalar"] = torch::tensor(2.5f);
    in["empty"] = torch::zeros({0, 4});
    in["strided"] = torch::randn({4, 6}).t(); // non-contiguous input must be written in logical order
    const std::string path = s.file("all.safetensors");
    mb::ml::write_safetensors(path, in, {{"format", "pt"}, {"note", "round trip"}});

    // Only the final file is left: no temporary.
    EXPECT_EQ(std::distance(fs::directory_iterator(s.dir()), fs::directory_iterator()), 1);

    const SafetensorsFile f = SafetensorsFile::open(path);
    EXPECT_EQ(f.metadata().at("format"), "pt");
    EXPECT_EQ(f.metadata().at("note"), "round trip");
    const std::vector<std::string> keys = f.keys();
    ASSERT_EQ(keys.size(), in.size());
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    for (const auto& kv : in) {
        SCOPED_TRACE(kv.first);
        const torch::Tensor raw = f.rawTensor(kv.first);
        EXPECT_EQ(raw.scalar_type(), kv.second.scalar_type());
        EXPECT_EQ(raw.sizes(), kv.second.sizes());
        EXPECT_TRUE(torch::equal(raw, kv.second));
    }
    EXPECT_EQ(f.info("bf16").dtypeName, "BF16");
    EXPECT_EQ(f.info("f16").dtypeName, "F16");
    // Floats are converted to the requested dtype, integers keep theirs.
    EXPECT_EQ(f.tensor("f16").scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(f.tensor("f16"), in["f16"].to(torch::kFloat32)));
    EXPECT_EQ(f.tensor("bf16", torch::kFloat64).scalar_type(), torch::kFloat64);
    EXPECT_EQ(f.tensor("i64").scalar_type(), torch::kInt64);
    EXPECT_EQ(f.tensor("u8").scalar_type(), torch::kUInt8);
    EXPECT_THROW(f.info("nope"), std::runtime_error);

    // Header length is a multiple of 8 (8-byte aligned data) and padded with spaces.
    std::ifstream raw(path, std::ios::binary);
    unsigned char len[8];
    raw.read(reinterpret_cast<char*>(len), 8);
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) {
        n = (n << 8) | len[i];
    }
    EXPECT_EQ(n % 8, 0u);

    const TensorMap back = mb::ml::read_safetensors(path);
    EXPECT_EQ(back.at("i32").scalar_type(), torch::kInt32);
    EXPECT_EQ(back.at("bf16").scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(back.at("strided"), in["strided"]));
}

TEST(Safetensors, TensorsOutliveTheFile) {
    Scratch s;
    const std::string path = s.file("a.safetensors");
    mb::ml::write_safetensors(path, {{"x", torch::arange(10, torch::kFloat32)}});
    torch::Tensor x;
    {
        const SafetensorsFile f = SafetensorsFile::open(path);
        x = f.tensor("x");
    }
    fs::remove(path);
    EXPECT_TRUE(torch::equal(x, torch::arange(10, torch::kFloat32)));
}

TEST(Safetensors, OverwriteIsAtomicReplacement) {
    Scratch s;
    const std::string path = s.file("w.safetensors");
    mb::ml::write_safetensors(path, {{"a", torch::ones({2})}});
    mb::ml::write_safetensors(path, {{"b", torch::zeros({3})}});
    const SafetensorsFile f = SafetensorsFile::open(path);
    EXPECT_EQ(f.keys(), std::vector<std::string>{"b"});
    // Unsupported dtype: refused before anything is written; the old file stays intact.
    EXPECT_THROW(mb::ml::write_safetensors(path, {{"c", torch::zeros({2}, torch::kComplexFloat)}}),
                 std::runtime_error);
    EXPECT_EQ(SafetensorsFile::open(path).keys(), std::vector<std::string>{"b"});
    EXPECT_EQ(std::distance(fs::directory_iterator(s.dir()), fs::directory_iterator()), 1);
}

TEST(Safetensors, EveryReferenceFileLoadsAndMatchesManifest) {
    std::ifstream manifestIn(kReference + "/vectors/MANIFEST.json");
    ASSERT_TRUE(manifestIn.good());
    const nlohmann::json manifest = nlohmann::json::parse(manifestIn);
    int files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(kReference)) {
        if (entry.path().extension() != ".safetensors") {
            continue;
        }
        ++files;
        SCOPED_TRACE(entry.path().string());
        const SafetensorsFile f = SafetensorsFile::open(entry.path().string());
        EXPECT_FALSE(f.keys().empty());
        const std::string fileName = entry.path().filename().string();
        if (entry.path().parent_path().filename() == "vectors") {
            ASSERT_TRUE(manifest.contains(fileName));
            const auto& tensors = manifest[fileName]["tensors"];
            EXPECT_EQ(tensors.size(), f.keys().size());
            for (auto it = tensors.begin(); it != tensors.end(); ++it) {
                SCOPED_TRACE(it.key());
                const auto& ti = f.info(it.key());
                EXPECT_EQ(ti.shape, it.value()["shape"].get<std::vector<int64_t>>());
                const std::string dt = it.value()["dtype"];
                EXPECT_EQ(ti.dtypeName, dt == "float32" ? "F32" : dt == "int64" ? "I64" : "?");
                const torch::Tensor t = f.tensor(it.key());
                if (t.is_floating_point() && t.numel() > 0) {
                    EXPECT_NEAR(t.abs().max().item<double>(), it.value()["absmax"].get<double>(), 1e-6);
                }
            }
        } else {
            EXPECT_EQ(f.metadata().at("format"), "pt");
        }
    }
    EXPECT_EQ(files, 12); // 8 vector files + tiny unet, vae, text encoder
}

TEST(Safetensors, RefusesTruncatedFile) {
    Scratch s;
    const std::string good = s.file("good.safetensors");
    mb::ml::write_safetensors(good, {{"weight", torch::ones({16, 16})}});
    const std::string path = s.file("truncated.safetensors");
    fs::copy_file(good, path);
    fs::resize_file(path, fs::file_size(path) - 100);
    expectRefused(path, {"weight", "past the end"});
}

TEST(Safetensors, RefusesHeaderLengthPastEnd) {
    Scratch s;
    const std::string path = s.file("hdr.safetensors");
    writeBytes(path, lengthPrefix(5000) + "{\"a\":1}");
    expectRefused(path, {"header length 5000", "past the end"});
    const std::string huge = s.file("huge.safetensors");
    writeBytes(huge, lengthPrefix(1ull << 40) + "{}");
    expectRefused(huge, {"limit"});
    const std::string tiny = s.file("tiny.safetensors");
    writeBytes(tiny, "abc");
    expectRefused(tiny, {"too short"});
}

TEST(Safetensors, RefusesOverlappingSpans) {
    Scratch s;
    const std::string path = hostileFile(
        s, "overlap.safetensors",
        R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}})",
        24);
    expectRefused(path, {"'a'", "'b'", "overlap"});
}

TEST(Safetensors, RefusesSpansThatDoNotTileTheDataExactly) {
    // The format requires the spans, sorted, to cover the data section from byte 0 to its end with no gap:
    // bytes that belong to no tensor are refused wherever they are.
    Scratch s;
    expectRefused(hostileFile(s, "gap-first.safetensors",
                              R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})", 8),
                  {"'a'", "begins at byte 4", "4 bytes in between belong to no tensor"});
    expectRefused(
        hostileFile(
            s, "gap-middle.safetensors",
            R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[8,12]}})",
            12),
        {"'b'", "begins at byte 8", "'a' ends at byte 4"});
    expectRefused(hostileFile(s, "trailing.safetensors",
                              R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}})", 10),
                  {"ends at byte 4", "has 10 bytes", "6 bytes at the end belong to no tensor"});
    expectRefused(hostileFile(s, "only-data.safetensors", R"({"__metadata__":{"format":"pt"}})", 3),
                  {"3 bytes at the end"});
    // An empty tensor sits where the one before it ends; exact tiling with it opens.
    const std::string exact = hostileFile(
        s, "exact.safetensors",
        R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[4,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})",
        8);
    const SafetensorsFile f = SafetensorsFile::open(exact);
    EXPECT_EQ(f.keys().size(), 3u);
    expectRefused(
        hostileFile(
            s, "empty-inside.safetensors",
            R"({"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"e":{"dtype":"U8","shape":[0],"data_offsets":[2,2]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})",
            8),
        {"'e'", "overlap"});
}

TEST(Safetensors, RefusesSpanShapeMismatch) {
    Scratch s;
    const std::string path =
        hostileFile(s, "mismatch.safetensors",
                    R"({"conv.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,20]}})", 20);
    expectRefused(path, {"conv.weight", "needs 24"});
    const std::string backwards = hostileFile(s, "backwards.safetensors",
                                              R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[8,4]}})", 8);
    expectRefused(backwards, {"'w'", "before begin"});
}

TEST(Safetensors, RefusesUnknownDtype) {
    Scratch s;
    const std::string path = hostileFile(s, "dtype.safetensors",
                                         R"({"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}})", 2);
    expectRefused(path, {"'w'", "unknown dtype", "F8_E4M3"});
}

TEST(Safetensors, RefusesShapeOverflow) {
    Scratch s;
    const std::string path =
        hostileFile(s, "overflow.safetensors",
                    R"({"big":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,0]}})", 0);
    expectRefused(path, {"'big'", "overflow"});
    // The count fits but count × 4 bytes does not.
    const std::string bytes =
        hostileFile(s, "overflow2.safetensors",
                    R"({"big":{"dtype":"F32","shape":[4611686018427387904,2],"data_offsets":[0,0]}})", 0);
    expectRefused(bytes, {"'big'", "overflow"});
    const std::string negative =
        hostileFile(s, "neg.safetensors", R"({"n":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})", 0);
    expectRefused(negative, {"'n'", "negative"});
}

TEST(Safetensors, RefusesBadJsonAndBadFields) {
    Scratch s;
    expectRefused(hostileFile(s, "json.safetensors", R"({"w":{"dtype":"F32",)", 0), {"not valid JSON"});
    expectRefused(hostileFile(s, "array.safetensors", "[1,2,3]", 0), {"JSON object"});
    expectRefused(hostileFile(s, "missing.safetensors", R"({"w":{"dtype":"F32","shape":[1]}})", 4),
                  {"'w'", "data_offsets"});
    expectRefused(hostileFile(s, "meta.safetensors", R"({"__metadata__":{"format":5}})", 0),
                  {"__metadata__", "format"});
    expectRefused(
        hostileFile(
            s, "dup.safetensors",
            R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"w":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})",
            2),
        {"'w'", "twice"});
}

TEST(Safetensors, RefusesPickledCheckpoints) {
    Scratch s;
    for (const char* name : {"unet.bin", "model.ckpt", "weights.pt", "x.PTH"}) {
        const std::string path = s.file(name);
        writeBytes(path, "\x80\x02}q\x00.");
        try {
            SafetensorsFile::open(path);
            ADD_FAILURE() << "opened " << path;
        } catch (const std::runtime_error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(path), std::string::npos) << msg;
            EXPECT_NE(msg.find("safetensors"), std::string::npos) << msg;
            EXPECT_NE(msg.find("never unpickled"), std::string::npos) << msg;
        }
    }
    // A torch.save() zip renamed to .safetensors is recognised by its magic.
    const std::string zip = s.file("renamed.safetensors");
    writeBytes(zip, std::string("PK\x03\x04", 4) + std::string(64, '\0'));
    expectRefused(zip, {"pickled"});
    EXPECT_THROW(mb::ml::read_safetensors(s.file("does-not-exist.safetensors")), std::runtime_error);
}
