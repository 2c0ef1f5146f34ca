// zstd and zlib from Debian's libzstd-dev and zlib1g-dev (scripts/install-deps.sh installs them).
#include <zstd.h>
#include <zlib.h>
