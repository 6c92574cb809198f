// Preloaded (LD_PRELOAD) into the private test Slurm's daemons only (munged, slurmctld, slurmd and the
// slurmstepd it starts) by tests/farm/slurm_fixture.sh: their gethostname() answers "localhost".
//
// Why: with CommunicationParameters=NoCtldInAddrAny,NoInAddrAny (which keeps them off other interfaces),
// Slurm 22.05 binds its listening sockets to whatever address the machine's hostname resolves to. On a
// bare system (a fresh chroot or container) the hostname resolves to nothing, and slurmctld dies with
// "Unable to resolve"; on a stock Debian install it resolves to 127.0.1.1, where clients that dial
// SlurmctldHost=localhost(127.0.0.1) never reach it. Seen as "localhost", every daemon binds 127.0.0.1,
// whatever the machine is called and without any change to /etc/hosts or DNS.
#include <cerrno>
#include <cstddef>
#include <cstring>

extern "C" int gethostname(char* name, std::size_t len) {
    static const char kName[] = "localhost";
    if (name == nullptr || len < sizeof kName) {
        errno = ENAMETOOLONG;
        return -1;
    }
    std::memcpy(name, kName, sizeof kName);
    return 0;
}
