#pragma once
/**
 * \file sha256.h
 * \brief SHA-256 (FIPS 180-4) of bytes and of files, for take sidecars (model and checkpoint hashes) and
 *        farm job folders. Streams files in 1 MiB blocks, so multi-GB checkpoints hash in constant memory.
 */
#include <array>
#include <cstdint>
#include <string>

namespace mb {

class Sha256 {
public:
    Sha256();
    void update(const void* data, size_t size);
    /** Finishes and returns the lowercase hex digest; the object is then reset. */
    std::string hexDigest();

private:
    void block(const uint8_t* p);
    std::array<uint32_t, 8> m_h;
    std::array<uint8_t, 64> m_buf;
    size_t m_bufLen = 0;
    uint64_t m_totalBytes = 0;
};

std::string sha256Hex(const std::string& bytes);
/** Hash of a whole file; throws runtime_error naming the file when it cannot be read. */
std::string sha256File(const std::string& path);

} // namespace mb
