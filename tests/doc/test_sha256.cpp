// SHA-256 against FIPS 180-4 / NIST example digests.
#include "doc/sha256.h"

#include <gtest/gtest.h>
#include <string>

TEST(Sha256, KnownAnswers) {
    EXPECT_EQ(mb::sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(mb::sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(mb::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(mb::sha256Hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsOneShotAtEveryBoundary) {
    std::string data;
    for (int i = 0; i < 300; ++i)
        data += char(i * 7 + 3);
    const std::string whole = mb::sha256Hex(data);
    for (size_t cut : {1u, 55u, 56u, 63u, 64u, 65u, 128u, 299u}) {
        mb::Sha256 s;
        s.update(data.data(), cut);
        s.update(data.data() + cut, data.size() - cut);
        EXPECT_EQ(s.hexDigest(), whole) << cut;
    }
    EXPECT_THROW(mb::sha256File("/nonexistent/file"), std::runtime_error);
}
