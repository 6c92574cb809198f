// PyTorch checkpoint reading without pickle execution: the zip container, the restricted pickle interpreter,
// real torch.save fixtures (tests/data/torch_checkpoints, made by scripts/make_torch_fixtures.py with
// torch 1.13.1), the tiny reference model re-saved as .bin files, convert to safetensors, and the hostile
// corpus (tests/data/torch_checkpoints/hostile, see its README.md).
#include "ml/clip_text_model.h"
#include "ml/model_loader.h"
#include "ml/pickle_vm.h"
#include "ml/pipeline.h"
#include "ml/safetensors.h"
#include "ml/torch_checkpoint.h"
#include "ml/torch_zip_reader.h"
#include "ml/unet3d.h"
#include "ml/weights_convert.h"
#include "ml/weights_file.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

using namespace mb::ml;
namespace fs = std::filesystem;

namespace {

const std::string kDir = MB_TEST_DATA "/torch_checkpoints";
const std::string kTiny = MB_TEST_DATA "/reference/tiny";
const std::string kTinyBin = MB_TEST_DATA "/torch_checkpoints/tiny_bin";
const std::string kVectors = MB_TEST_DATA "/reference/vectors";

std::string fixture(const std::string& name) {
    return kDir + "/" + name;
}

/** Same dtype, shape and bytes (NaNs compare equal to NaNs with the same bits). */
bool bitEqual(const torch::Tensor& a, const torch::Tensor& b) {
    if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes()) {
        return false;
    }
    if (a.numel() == 0) {
        return true; // same shape, no bytes (data_ptr may be null)
    }
    const torch::Tensor ca = a.contiguous(), cb = b.contiguous();
    return std::memcmp(ca.data_ptr(), cb.data_ptr(), static_cast<size_t>(ca.numel()) * ca.element_size()) ==
           0;
}

std::string errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

double maxAbsDiff(const torch::Tensor& a, const torch::Tensor& b) {
    EXPECT_EQ(a.sizes(), b.sizes());
    if (a.sizes() != b.sizes()) {
        return 1e30;
    }
    return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

/** Bytes from hex text (pickles with NULs and hex-digit letters are unreadable as C string literals). */
std::string fromHex(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    }
    return out;
}

std::vector<uint8_t> bytes(const std::string& s) {
    return std::vector<uint8_t>(s.begin(), s.end());
}

PickleRef run(const std::string& pickle) {
    const auto b = bytes(pickle);
    return unpickle(b.data(), b.size(), "test").value;
}

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void spit(const std::string& path, const std::string& data) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
}

/** Fresh empty folder under the build's temp dir. */
fs::path scratch(const std::string& name) {
    const fs::path p =
        fs::temp_directory_path() / ("mb_ckpt_test_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

/** Reference key name of a .bin key: the old VAE attention names the fixture uses → current names. */
std::string modernName(const std::string& key) {
    static const std::pair<const char*, const char*> kRenames[] = {
        {".attentions.0.query.", ".attentions.0.to_q."},
        {".attentions.0.key.", ".attentions.0.to_k."},
        {".attentions.0.value.", ".attentions.0.to_v."},
        {".attentions.0.proj_attn.", ".attentions.0.to_out.0."}};
    for (const auto& r : kRenames) {
        const auto pos = key.find(r.first);
        if (pos != std::string::npos && key.find("mid_block") != std::string::npos) {
            return key.substr(0, pos) + r.second + key.substr(pos + std::strlen(r.first));
        }
    }
    return key;
}

TensorMap readComponentBins(const std::string& componentDir) {
    TensorMap all;
    for (const std::string& file : pickle_weight_files(componentDir)) {
        for (auto& kv : read_weights_file(file)) {
            EXPECT_TRUE(all.emplace(kv.first, kv.second).second) << kv.first;
        }
    }
    return all;
}

} // namespace

// ---------------------------------------------------------------------------------------------------------
// Zip container
// ---------------------------------------------------------------------------------------------------------

TEST(TorchZip, Crc32KnownValue) {
    const std::string check = "123456789";
    EXPECT_EQ(zip_crc32(reinterpret_cast<const uint8_t*>(check.data()), check.size()), 0xCBF43926u);
}

TEST(TorchZip, ListsTorchSaveEntriesAlignedAndStored) {
    const ZipArchive zip = ZipArchive::open(fixture("views.pt"));
    ASSERT_NE(zip.find("views/data.pkl"), nullptr); // torch 1.13 names the archive after the file stem
    ASSERT_NE(zip.find("views/version"), nullptr);
    const ZipEntry* storage = zip.find("views/data/0");
    ASSERT_NE(storage, nullptr);
    EXPECT_EQ(storage->size, 24u * 4);
    EXPECT_EQ(storage->dataOffset % 64, 0u); // torch.save pads every entry to 64 bytes
    EXPECT_EQ(zip_crc32(zip.bytes(*storage), storage->size), storage->crc32);
}

TEST(TorchZip, ReadsZip64RecordsAndMisalignedEntries) {
    // Hand-built: all central-directory sizes/offsets are 0xFFFFFFFF with ZIP64 extra fields, plus ZIP64 end
    // records; entries are not aligned (the reader copies to aligned memory before viewing floats).
    const ZipArchive zip = ZipArchive::open(fixture("zip64.pt"));
    EXPECT_EQ(zip.entries().size(), 3u);
    EXPECT_EQ(detect_weights_format(fixture("zip64.pt")), "torch-zip");
    const TensorMap t = read_torch_checkpoint(fixture("zip64.pt"));
    ASSERT_EQ(t.size(), 1u);
    EXPECT_TRUE(torch::equal(t.at("w"), torch::tensor({1.0f, 2.0f, 3.0f, 4.0f}).view({2, 2})));
}

// ---------------------------------------------------------------------------------------------------------
// Pickle interpreter on hand-written bytes
// ---------------------------------------------------------------------------------------------------------

TEST(PickleVm, BuildsPlainData) {
    // {'a': [1, -2, 300000, -2**40], 'b': (None, True, 0.5, b'xy')}, as Python's pickle.dumps(protocol=2)
    // plus a LONG1 and a MARK-built list (checked with pickle.loads).
    const std::string p =
        fromHex("80027d7100285801000000615d7101284b014afeffffff4ae09304008a060000000000ff6558010000"
                "0062284e88473fe00000000000004302787974752e");
    const PickleRef v = run(p);
    ASSERT_EQ(v->kind, PickleValue::Kind::Dict);
    const PickleValue* a = v->find("a");
    ASSERT_TRUE(a && a->kind == PickleValue::Kind::List && a->items.size() == 4);
    EXPECT_EQ(a->items[0]->integer, 1);
    EXPECT_EQ(a->items[1]->integer, -2);
    EXPECT_EQ(a->items[2]->integer, 300000);
    EXPECT_EQ(a->items[3]->integer, -(int64_t(1) << 40));
    const PickleValue* b = v->find("b");
    ASSERT_TRUE(b && b->kind == PickleValue::Kind::Tuple && b->items.size() == 4);
    EXPECT_EQ(b->items[0]->kind, PickleValue::Kind::None);
    EXPECT_TRUE(b->items[1]->boolean);
    EXPECT_EQ(b->items[2]->number, 0.5);
    EXPECT_EQ(b->items[3]->text, "xy");
}

TEST(PickleVm, RefusalsNameTheSourceAndTheCulprit) {
    auto refused = [](const std::string& p) { return errorOf([&] { run(p); }); };
    const std::string osSystem = refused(std::string("\x80\x02") + "cposix\nsystem\n)R.");
    EXPECT_NE(osSystem.find("test"), std::string::npos) << osSystem;
    EXPECT_NE(osSystem.find("global 'posix.system' is not allowed"), std::string::npos) << osSystem;
    EXPECT_NE(refused("\x80\x02\x8f.").find("EMPTY_SET"), std::string::npos);
    EXPECT_NE(refused("\x80\x02K\x01K\x02.").find("extra stack items"), std::string::npos);
    EXPECT_NE(refused("\x80\x06.").find("protocol 6"), std::string::npos);
    EXPECT_NE(refused("\x80\x02}").find("truncated"), std::string::npos);
    EXPECT_NE(refused("\x80\x02X\xff\xff\xff\x7f").find("truncated"), std::string::npos);
    // A dict stored in a list may not be changed afterwards (that is how cycles are built).
    EXPECT_NE(refused(fromHex("80025d7d710061680058010000006b4b01732e")).find("already stored"),
              std::string::npos);
}

TEST(PickleVm, StorageExtentArithmetic) {
    uint64_t e = 0;
    EXPECT_TRUE(tensor_storage_extent(3, {2, 3}, {3, 1}, e));
    EXPECT_EQ(e, 9u);
    EXPECT_TRUE(tensor_storage_extent(5, {0, 7}, {7, 1}, e));
    EXPECT_EQ(e, 0u);
    EXPECT_TRUE(tensor_storage_extent(2, {}, {}, e)); // scalar
    EXPECT_EQ(e, 3u);
    EXPECT_FALSE(tensor_storage_extent(0, {int64_t(1) << 40, int64_t(1) << 40}, {1, 1}, e));
    EXPECT_TRUE(tensor_storage_extent(0, {2}, {int64_t(1) << 62}, e));  // last element 2^62: still fine
    EXPECT_FALSE(tensor_storage_extent(0, {3}, {int64_t(1) << 62}, e)); // 2·2^62 overflows int64
    EXPECT_FALSE(tensor_storage_extent(-1, {2}, {1}, e));
}

// ---------------------------------------------------------------------------------------------------------
// Real torch.save fixtures
// ---------------------------------------------------------------------------------------------------------

namespace {

void expectDtypesFixture(const TensorMap& t) {
    ASSERT_EQ(t.size(), 11u);
    const float inf = std::numeric_limits<float>::infinity();
    EXPECT_TRUE(bitEqual(
        t.at("f32"),
        torch::tensor({1.0f / 3.0f, -2.5e-8f, 3.4e38f, 1e-40f, -0.0f, inf, -inf, 7.0f}).view({2, 4})));
    EXPECT_TRUE(std::signbit(t.at("f32")[1][0].item<float>()));
    EXPECT_TRUE(std::isnan(t.at("f32_nan")[0].item<float>()));
    EXPECT_TRUE(
        bitEqual(t.at("f64"), torch::tensor({1.0 / 3.0, -1e-300, std::ldexp(1.0, 60)}, torch::kFloat64)));
    EXPECT_TRUE(
        bitEqual(t.at("f16"),
                 torch::tensor({0.5, -2.0, 65504.0, std::ldexp(1.0, -24), 0.333251953125}).to(torch::kHalf)));
    EXPECT_TRUE(bitEqual(t.at("bf16"), torch::tensor({1.0, -3.140625, std::ldexp(1.0, -133),
                                                      3.3895313892515355e38, 0.333984375})
                                           .to(torch::kBFloat16)));
    EXPECT_TRUE(
        bitEqual(t.at("i64"), torch::tensor({std::numeric_limits<int64_t>::min(),
                                             std::numeric_limits<int64_t>::max(), int64_t(0), int64_t(-1)})));
    EXPECT_TRUE(bitEqual(t.at("i32"), torch::tensor({std::numeric_limits<int32_t>::min(),
                                                     std::numeric_limits<int32_t>::max(), 5})
                                          .to(torch::kInt32)));
    EXPECT_TRUE(bitEqual(t.at("i16"), torch::tensor({-32768, 32767}).to(torch::kInt16)));
    EXPECT_TRUE(bitEqual(t.at("i8"), torch::tensor({-128, 127}).to(torch::kInt8)));
    EXPECT_TRUE(bitEqual(t.at("u8"), torch::tensor({0, 255, 7}).to(torch::kUInt8)));
    EXPECT_TRUE(bitEqual(t.at("bool"), torch::tensor({true, false, true})));
}

void expectViewsFixture(const TensorMap& t) {
    ASSERT_EQ(t.size(), 8u);
    const torch::Tensor base = torch::arange(24, torch::kFloat32) * 0.5;
    EXPECT_TRUE(bitEqual(t.at("whole"), base.view({4, 6})));
    EXPECT_TRUE(bitEqual(t.at("slice"), base.slice(0, 6, 18).view({3, 4})));
    EXPECT_TRUE(bitEqual(t.at("strided"), base.view({4, 6}).slice(1, 1, 6, 2)));
    EXPECT_TRUE(bitEqual(t.at("transposed"), base.view({4, 6}).t()));
    EXPECT_TRUE(bitEqual(t.at("expanded"), torch::tensor({1.0f, 2.0f}).expand({3, 2})));
    EXPECT_TRUE(bitEqual(t.at("scalar"), torch::tensor(3.5f)));
    EXPECT_EQ(t.at("scalar").dim(), 0);
    EXPECT_TRUE(bitEqual(t.at("empty"), torch::zeros({0, 3})));
    EXPECT_TRUE(bitEqual(t.at("half_slice"), torch::tensor({2.0, 3.0, 4.0, 5.0, 6.0}).to(torch::kFloat16)));
    for (const auto& kv : t) {
        EXPECT_TRUE(kv.second.is_contiguous()) << kv.first;
    }
    // Tensors that shared one storage in the file share nothing after loading.
    torch::Tensor whole = t.at("whole");
    whole.fill_(-1.0f);
    EXPECT_EQ(t.at("slice")[0][0].item<float>(), 3.0f);
}

} // namespace

TEST(TorchCheckpoint, AllDtypesBitExact) {
    expectDtypesFixture(read_torch_checkpoint_raw(fixture("dtypes.pt")));
}

TEST(TorchCheckpoint, LegacyFormatReadsTheSame) {
    EXPECT_EQ(detect_weights_format(fixture("dtypes_legacy.pt")), "torch-legacy");
    expectDtypesFixture(read_torch_checkpoint_raw(fixture("dtypes_legacy.pt")));
    expectViewsFixture(read_torch_checkpoint_raw(fixture("views_legacy.pt")));
}

TEST(TorchCheckpoint, FloatTensorsConvertIntegersKeepTheirType) {
    const TensorMap t = read_torch_checkpoint(fixture("dtypes.pt"));
    EXPECT_EQ(t.at("f16").scalar_type(), torch::kFloat32);
    EXPECT_EQ(t.at("bf16").scalar_type(), torch::kFloat32);
    EXPECT_EQ(t.at("f64").scalar_type(), torch::kFloat32);
    EXPECT_EQ(t.at("bf16")[1].item<float>(), -3.140625f);
    EXPECT_EQ(t.at("i64").scalar_type(), torch::kInt64);
    EXPECT_EQ(t.at("bool").scalar_type(), torch::kBool);
    EXPECT_EQ(read_torch_checkpoint(fixture("dtypes.pt"), torch::kBFloat16).at("f32").scalar_type(),
              torch::kBFloat16);
}

TEST(TorchCheckpoint, SharedStoragesStridesScalarsAndEmpty) {
    expectViewsFixture(read_torch_checkpoint_raw(fixture("views.pt")));
}

TEST(TorchCheckpoint, ParametersAreRebuiltAsTensors) {
    const TensorMap t = read_torch_checkpoint(fixture("parameter.pt"));
    EXPECT_TRUE(bitEqual(t.at("weight"), torch::arange(6, torch::kFloat32).view({2, 3})));
}

TEST(TorchCheckpoint, MotionBoothSubjectCheckpointUnderUnetTrainedWeights) {
    const TensorMap t = read_torch_checkpoint_raw(fixture("subject.pth"));
    ASSERT_EQ(t.size(), 2u);
    EXPECT_TRUE(bitEqual(t.at("down_blocks.0.attentions.0.to_q.weight"),
                         (torch::arange(12, torch::kFloat32).view({4, 3}) * 0.125).to(torch::kHalf)));
    EXPECT_TRUE(bitEqual(t.at("conv_in.bias"), (torch::arange(4, torch::kFloat32) * -0.5).to(torch::kHalf)));
}

TEST(TorchCheckpoint, LightningCheckpointStateDictAndSubkey) {
    const TensorMap t = read_torch_checkpoint(fixture("lightning.ckpt"));
    ASSERT_EQ(t.size(), 2u);
    EXPECT_TRUE(bitEqual(t.at("model.weight"), torch::arange(6, torch::kFloat32).view({2, 3})));
    EXPECT_TRUE(bitEqual(t.at("model.bias"), torch::tensor({0.25f, -0.75f})));
    EXPECT_EQ(read_torch_checkpoint(fixture("lightning.ckpt"), torch::kFloat32, "state_dict").size(), 2u);
    const std::string missing =
        errorOf([] { read_torch_checkpoint(fixture("lightning.ckpt"), torch::kFloat32, "ema_state"); });
    EXPECT_NE(missing.find("lightning.ckpt"), std::string::npos) << missing;
    EXPECT_NE(missing.find("'ema_state'"), std::string::npos) << missing;
    // Lightning hyper-parameters pickled as an argparse.Namespace: refused, naming the global.
    const std::string hparams = errorOf([] { read_torch_checkpoint(fixture("lightning_hparams.ckpt")); });
    EXPECT_NE(hparams.find("lightning_hparams.ckpt"), std::string::npos) << hparams;
    EXPECT_NE(hparams.find("global 'argparse.Namespace' is not allowed"), std::string::npos) << hparams;
}

TEST(TorchCheckpoint, DetectsFormatsByContent) {
    EXPECT_EQ(detect_weights_format(fixture("views.pt")), "torch-zip");
    EXPECT_EQ(detect_weights_format(fixture("subject.pth")), "torch-zip");
    EXPECT_EQ(detect_weights_format(kTiny + "/unet/diffusion_pytorch_model.safetensors"), "safetensors");
    EXPECT_EQ(detect_weights_format(fixture("hostile/torchscript.pt")), "torchscript");
    EXPECT_EQ(detect_weights_format(fixture("hostile/bare_pickle.pkl")), "pickle");
    EXPECT_EQ(detect_weights_format(fixture("hostile/garbage.bin")), "unknown");
    EXPECT_EQ(detect_weights_format(fixture("hostile/empty.bin")), "unknown");
    // A safetensors header of 0x180 bytes starts with 0x80 0x01, a pickle PROTO opcode's bytes: still
    // safetensors.
    const fs::path dir = scratch("detect");
    std::string header = R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
    header.resize(0x180, ' ');
    std::string file = fromHex("8001000000000000") + header + fromHex("0000803f");
    spit((dir / "x.safetensors").string(), file);
    EXPECT_EQ(detect_weights_format((dir / "x.safetensors").string()), "safetensors");
    EXPECT_EQ(read_weights_file((dir / "x.safetensors").string()).at("a").item<float>(), 1.0f);
    fs::remove_all(dir);
    EXPECT_TRUE(is_torch_checkpoint(fixture("dtypes_legacy.pt")));
    EXPECT_FALSE(is_torch_checkpoint(kTiny + "/vae/diffusion_pytorch_model.safetensors"));
}

// ---------------------------------------------------------------------------------------------------------
// The hostile corpus: every file refused, with the file named and the reason given
// ---------------------------------------------------------------------------------------------------------

TEST(TorchCheckpointHostile, EveryFileIsRefusedCleanly) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"global_os_system.pt", "global 'os.system' is not allowed"},
        {"stack_global_eval.pt", "global 'builtins.eval' is not allowed"},
        {"reduce_storage_type.pt", "REDUCE on storage type torch.FloatStorage is not allowed"},
        {"reduce_string.pt", "REDUCE on str 'os.system' is not allowed"},
        {"inst_opcode.pt", "opcode 0x69 INST"},
        {"newobj.pt", "opcode 0x81 NEWOBJ"},
        {"memo_out_of_range.pt", "memo id 7 was never stored"},
        {"deep_nesting.pt", "nested deeper than 100 levels"},
        {"cyclic_list.pt", "already stored inside another object"},
        {"build_on_list.pt", "BUILD on list"},
        {"nested_pickle.pt", "bytes follow STOP"},
        {"truncated_zip.pt", "no zip end-of-central-directory record"},
        {"truncated_pickle.pt", "truncated"},
        {"storage_size_lie.pt", "declares 1000 FloatStorage elements but holds 16 bytes"},
        {"offset_past_end.pt", "reaches element 12 of storage '0', which declares only 4"},
        {"huge_dimension.pt", "overflow"},
        {"stride_past_end.pt", "reaches element 6 of storage '0', which declares only 4"},
        {"negative_size.pt", "must be non-negative"},
        {"big_endian.pt", "big-endian"},
        {"compressed.pt", "is compressed (method 8, deflate)"},
        {"missing_storage.pt", "refers to storage '3', which the file does not contain"},
        {"storage_key_traversal.pt", "invalid key str '../x'"},
        {"dtype_conflict.pt", "declared with two different types or sizes"},
        {"backward_hooks.pt", "backward hooks"},
        {"not_a_state_dict.pt", "holds a list, not a state dict"},
        {"torchscript.pt", "TorchScript archive"},
        {"eocd_count_lie.pt", "claims 65534 entries"},
        {"legacy_global.pt", "global 'os.system' is not allowed"},
        {"bare_pickle.pkl", "bare pickle"},
        {"empty.bin", "not a PyTorch checkpoint"},
        {"garbage.bin", "not a PyTorch checkpoint"},
    };
    size_t filesOnDisk = 0;
    for (const auto& e : fs::directory_iterator(kDir + "/hostile")) {
        filesOnDisk += e.path().extension() != ".md";
    }
    EXPECT_EQ(filesOnDisk, cases.size()) << "every corpus file needs an expectation here";
    for (const auto& c : cases) {
        const std::string path = fixture("hostile/" + c.first);
        ASSERT_TRUE(fs::exists(path)) << path;
        for (const bool viaDispatcher : {false, true}) {
            const std::string msg = errorOf([&] {
                if (viaDispatcher) {
                    read_weights_file(path);
                } else {
                    read_torch_checkpoint(path);
                }
            });
            EXPECT_NE(msg.find(c.first), std::string::npos)
                << c.first << ": message does not name the file: " << msg;
            EXPECT_NE(msg.find(c.second), std::string::npos) << c.first << ": " << msg;
        }
    }
}

TEST(TorchCheckpointHostile, MutatedPicklesNeverCrash) {
    // Random byte flips in a real data.pkl: each run must build something or throw std::runtime_error.
    const ZipArchive zip = ZipArchive::open(fixture("views.pt"));
    const std::string original = zip.readChecked(*zip.find("views/data.pkl"));
    std::mt19937 rng(1234);
    int accepted = 0, refused = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string p = original;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) {
            p[rng() % p.size()] = static_cast<char>(rng() & 0xFF);
        }
        if (rng() % 8 == 0) {
            p.resize(rng() % p.size());
        }
        const auto b = bytes(p);
        try {
            unpickle(b.data(), b.size(), "mutant");
            ++accepted;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("mutant"), std::string::npos) << e.what();
            ++refused;
        }
    }
    std::printf("mutated data.pkl: %d accepted, %d refused\n", accepted, refused);
    EXPECT_GT(refused, 1000);
}

TEST(TorchCheckpointHostile, MutatedAndTruncatedFilesNeverCrash) {
    const fs::path dir = scratch("mutants");
    const std::string path = (dir / "mutant.pt").string();
    // Every prefix of a small hand-built ZIP64 checkpoint is refused.
    const std::string small = slurp(fixture("zip64.pt"));
    for (size_t n = 0; n < small.size(); ++n) {
        spit(path, small.substr(0, n));
        EXPECT_THROW(read_weights_file(path), std::runtime_error) << "prefix " << n;
    }
    // Random flips anywhere in a torch.save file (headers, pickle, storages).
    const std::string original = slurp(fixture("views.pt"));
    std::mt19937 rng(99);
    int accepted = 0, refused = 0;
    for (int i = 0; i < 600; ++i) {
        std::string m = original;
        for (int f = 0; f < 3; ++f) {
            m[rng() % m.size()] = static_cast<char>(rng() & 0xFF);
        }
        spit(path, m);
        try {
            read_torch_checkpoint(path);
            ++accepted;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("mutant.pt"), std::string::npos) << e.what();
            ++refused;
        }
    }
    std::printf("mutated views.pt: %d accepted (flips in storage bytes or padding), %d refused\n", accepted,
                refused);
    fs::remove_all(dir);
}

// ---------------------------------------------------------------------------------------------------------
// The tiny model as .bin folders (as zeroscope_v2_576w ships)
// ---------------------------------------------------------------------------------------------------------

TEST(TorchCheckpointTinyModel, FindsSingleAndShardedBinWeights) {
    EXPECT_EQ(pickle_weight_files(kTinyBin + "/unet"),
              std::vector<std::string>{kTinyBin + "/unet/diffusion_pytorch_model.bin"});
    EXPECT_EQ(pickle_weight_files(kTinyBin + "/text_encoder"),
              (std::vector<std::string>{kTinyBin + "/text_encoder/pytorch_model-00001-of-00002.bin",
                                        kTinyBin + "/text_encoder/pytorch_model-00002-of-00002.bin"}));
    EXPECT_TRUE(pickle_weight_files(kTiny + "/unet").empty());
    EXPECT_TRUE(pickle_weight_files(kTinyBin + "/unet", "fp16").empty());
}

TEST(TorchCheckpointTinyModel, EveryComponentEqualsTheSafetensorsReferenceBitExactly) {
    const std::vector<std::pair<std::string, std::string>> components = {
        {"unet", "diffusion_pytorch_model.safetensors"},
        {"vae", "diffusion_pytorch_model.safetensors"},
        {"text_encoder", "model.safetensors"}};
    for (const auto& c : components) {
        const TensorMap reference = read_safetensors(kTiny + "/" + c.first + "/" + c.second);
        const TensorMap loaded = readComponentBins(kTinyBin + "/" + c.first);
        size_t matched = 0;
        for (const auto& kv : loaded) {
            if (kv.first == "text_model.embeddings.position_ids") {
                EXPECT_TRUE(bitEqual(kv.second, torch::arange(77, torch::kInt64).view({1, 77})));
                continue;
            }
            const std::string name = modernName(kv.first);
            ASSERT_TRUE(reference.count(name)) << c.first << ": unexpected key " << kv.first;
            EXPECT_TRUE(bitEqual(kv.second, reference.at(name))) << c.first << ": " << kv.first;
            ++matched;
        }
        EXPECT_EQ(matched, reference.size()) << c.first;
    }
}

TEST(TorchCheckpointTinyModel, TextEncoderFromShardedBinReproducesParityVectors) {
    const ClipTextConfig config =
        ClipTextConfig::from_json(read_json_file(kTinyBin + "/text_encoder/config.json"), kTinyBin);
    ClipTextModel model(config);
    model->eval();
    const KeyReport report =
        load_weights(*model, readComponentBins(kTinyBin + "/text_encoder"), kTinyBin + "/text_encoder");
    EXPECT_TRUE(report.complete()) << report.summary();
    EXPECT_EQ(report.ignored, std::vector<std::string>{"text_model.embeddings.position_ids"});
    const TensorMap v = read_safetensors(kVectors + "/text_encoder_forward.safetensors");
    torch::NoGradGuard noGrad;
    const auto out = model->forward(v.at("input_ids"));
    const double d = maxAbsDiff(out.last_hidden_state, v.at("last_hidden_state"));
    std::printf("text encoder from .bin: last_hidden_state max|diff| = %.3g\n", d);
    EXPECT_LE(d, 1e-5);
    EXPECT_LE(maxAbsDiff(out.pooler_output, v.at("pooler_output")), 1e-5);
}

TEST(TorchCheckpointTinyModel, UnetFromBinReproducesParityVectors) {
    UNet3DConditionModel unet(UNet3DConfig::from_file(kTinyBin + "/unet/config.json"));
    unet->eval();
    const KeyReport report = load_weights(*unet, readComponentBins(kTinyBin + "/unet"), kTinyBin + "/unet",
                                          LoadOptions{/*requireComplete=*/true});
    EXPECT_TRUE(report.complete()) << report.summary();
    const TensorMap v = read_safetensors(kVectors + "/unet_forward.safetensors");
    torch::NoGradGuard noGrad;
    const torch::Tensor out = unet->forward(v.at("sample"), v.at("timestep"), v.at("encoder_hidden_states"));
    const double d = maxAbsDiff(out, v.at("out"));
    std::printf("UNet from .bin: out max|diff| = %.3g\n", d);
    EXPECT_LE(d, 1e-4);
}

TEST(TorchCheckpointTinyModel, PipelineFromBinFolderReproducesParityVectors) {
    // The done criterion: the diffusers folder with .bin weights loads through the model loader (needs the
    // model_loader.cpp hook to weights_file.h) and reproduces the tiny pipeline's parity vectors.
    const TensorMap v = read_safetensors(kVectors + "/pipeline_tiny.safetensors");
    auto pipe = load_text_to_video_pipeline(kTinyBin);
    TextToVideoParams params;
    params.prompt = "a photo of an astronaut riding a horse on mars";
    params.num_frames = 4;
    params.height = 32;
    params.width = 48;
    params.num_inference_steps = 5;
    params.guidance_scale = 7.5;
    params.latents = v.at("init_latents");
    PipelineTrace trace;
    pipe.generate(params, {}, {}, &trace);
    const double embeds = maxAbsDiff(trace.prompt_embeds, v.at("prompt_embeds"));
    ASSERT_EQ(trace.latents_after_step.size(), 5u);
    double latents = 0;
    for (int64_t i = 0; i < 5; ++i) {
        latents = std::max(latents, maxAbsDiff(trace.latents_after_step[i], v.at("latents_after_step")[i]));
    }
    const double video = maxAbsDiff(trace.video_pt, v.at("video_pt"));
    std::printf("tiny pipeline from .bin folder max|diff|: prompt_embeds %.3g, latents %.3g, video_pt %.3g\n",
                embeds, latents, video);
    EXPECT_LE(embeds, 1e-5);
    EXPECT_LE(latents, 1e-3);
    EXPECT_LE(video, 1e-4);
    // And it equals the safetensors folder's run exactly (the weights are bit-identical).
    PipelineTrace st;
    load_text_to_video_pipeline(kTiny).generate(params, {}, {}, &st);
    EXPECT_TRUE(torch::equal(st.video_pt, trace.video_pt));
}

// ---------------------------------------------------------------------------------------------------------
// convert
// ---------------------------------------------------------------------------------------------------------

TEST(TorchCheckpointConvert, FileRoundTripsBitExactlyKeepingDtypes) {
    const fs::path dir = scratch("file");
    for (const char* name : {"dtypes.pt", "views.pt", "subject.pth", "dtypes_legacy.pt"}) {
        const fs::path out = dir / (std::string(name) + ".safetensors");
        const auto written = convert_weights(fixture(name), out.string());
        ASSERT_EQ(written.size(), 1u);
        const TensorMap original = read_torch_checkpoint_raw(fixture(name));
        const TensorMap converted = read_weights_file_raw(out.string());
        ASSERT_EQ(converted.size(), original.size()) << name;
        EXPECT_EQ(written[0].tensors, original.size());
        for (const auto& kv : original) {
            EXPECT_TRUE(bitEqual(converted.at(kv.first), kv.second)) << name << ": " << kv.first;
        }
    }
    // --dtype: floating tensors cast, integer ones untouched.
    const fs::path half = dir / "dtypes_fp16.safetensors";
    convert_weights(fixture("dtypes.pt"), half.string(), torch::kFloat16);
    const TensorMap h = read_weights_file_raw(half.string());
    EXPECT_EQ(h.at("f32").scalar_type(), torch::kFloat16);
    EXPECT_EQ(h.at("bf16").scalar_type(), torch::kFloat16);
    EXPECT_EQ(h.at("i64").scalar_type(), torch::kInt64);
    // Into an existing folder: <stem>.safetensors.
    convert_weights(fixture("subject.pth"), dir.string());
    EXPECT_TRUE(fs::exists(dir / "subject.safetensors"));
    fs::remove_all(dir);
}

TEST(TorchCheckpointConvert, BinModelFolderBecomesSafetensorsFolder) {
    const fs::path out = scratch("folder") / "tiny_st";
    int reports = 0;
    mb::JobControl job;
    job.progress = [&](const mb::JobProgress& p) {
        EXPECT_EQ(p.stage, "convert");
        ++reports;
    };
    const auto written = convert_weights(kTinyBin, out.string(), std::nullopt, job);
    EXPECT_EQ(written.size(), 3u);
    EXPECT_GT(reports, 3);
    // Exactly the layout ML-A's loader reads, bit-identical to the original safetensors model.
    for (const char* f : {"model_index.json", "scheduler/scheduler_config.json", "tokenizer/vocab.json",
                          "unet/config.json", "text_encoder/config.json", "vae/config.json"}) {
        EXPECT_TRUE(fs::exists(out / f)) << f;
    }
    EXPECT_FALSE(fs::exists(out / "unet/diffusion_pytorch_model.bin"));
    EXPECT_FALSE(fs::exists(out / "text_encoder/pytorch_model.bin.index.json"));
    const TensorMap unet = read_component_weights((out / "unet").string());
    const TensorMap reference = read_safetensors(kTiny + "/unet/diffusion_pytorch_model.safetensors");
    ASSERT_EQ(unet.size(), reference.size());
    for (const auto& kv : reference) {
        EXPECT_TRUE(bitEqual(unet.at(kv.first), kv.second)) << kv.first;
    }
    const TensorMap te = read_safetensors((out / "text_encoder/model.safetensors").string());
    EXPECT_EQ(te.size(),
              read_safetensors(kTiny + "/text_encoder/model.safetensors").size() + 1); // + position_ids
    KeyReport report;
    load_clip_text_model((out / "text_encoder").string(), &report);
    EXPECT_TRUE(report.complete()) << report.summary();
    // Refusals: output inside input, missing input.
    EXPECT_NE(errorOf([&] { convert_weights(kTinyBin, kTinyBin + "/sub"); }).find("must not be inside"),
              std::string::npos);
    EXPECT_NE(errorOf([] { convert_weights(fixture("nope.bin"), "x.safetensors"); }).find("does not exist"),
              std::string::npos);
    fs::remove_all(out.parent_path());
}

TEST(TorchCheckpointConvert, TorchFreeEntryPointsForTheEditor) {
    EXPECT_EQ(folders_needing_conversion(kTinyBin),
              (std::vector<std::string>{kTinyBin + "/text_encoder", kTinyBin + "/unet", kTinyBin + "/vae"}));
    EXPECT_TRUE(folders_needing_conversion(kTiny).empty());
    EXPECT_TRUE(folders_needing_conversion(fixture("views.pt")).empty());
    const fs::path dir = scratch("named");
    const auto written =
        convert_weights_to_safetensors(fixture("subject.pth"), (dir / "s.safetensors").string(), "bf16");
    ASSERT_EQ(written.size(), 1u);
    EXPECT_EQ(read_weights_file_raw(written[0]).at("conv_in.bias").scalar_type(), torch::kBFloat16);
    EXPECT_THROW(
        convert_weights_to_safetensors(fixture("subject.pth"), (dir / "t.safetensors").string(), "fp8"),
        std::invalid_argument);
    fs::remove_all(dir);
}
