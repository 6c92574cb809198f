// configure_threads must size both LibTorch's pool and OpenBLAS's own pool (ruling 23).
#include "ml/threads.h"

#include <iostream>

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <torch/version.h>

TEST(Threads, SetsTorchAndOpenBlasPools) {
    const mb::ml::ThreadConfig one = mb::ml::configure_threads(1);
    EXPECT_EQ(one.torchThreads, 1);
    EXPECT_EQ(at::get_num_threads(), 1);
    const mb::ml::ThreadConfig two = mb::ml::configure_threads(2);
    EXPECT_EQ(two.torchThreads, 2);
    if (two.openblasFound) {
        EXPECT_EQ(one.blasThreads, 1);
        EXPECT_EQ(two.blasThreads, 2);
    } else {
        EXPECT_EQ(two.blasThreads, -1);
    }
    // A matmul still works after resizing the pools.
    const torch::Tensor a = torch::ones({64, 64});
    EXPECT_FLOAT_EQ(torch::mm(a, a)[0][0].item<float>(), 64.f);
}

TEST(Threads, DescriptionNamesVersionsAndThreads) {
    mb::ml::configure_threads(2);
    const std::string d = mb::ml::runtime_description();
    std::cout << "runtime: " << d << "\n";
    EXPECT_NE(d.find("LibTorch " + std::to_string(TORCH_VERSION_MAJOR) + "."), std::string::npos) << d;
    EXPECT_NE(d.find("intra-op threads 2"), std::string::npos) << d;
    EXPECT_NE(d.find("BLAS"), std::string::npos) << d;
    if (mb::ml::current_threads().openblasFound) {
        EXPECT_NE(d.find("OpenBLAS"), std::string::npos) << d;
        EXPECT_NE(d.find("2 threads"), std::string::npos) << d;
    }
}
