#!/usr/bin/env bash
# System packages the build links against; installs only what is missing (needs root or sudo).
set -euo pipefail
needed=()
for pkg in libzstd-dev zlib1g-dev libopenblas-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || needed+=("$pkg")
done
[ ${#needed[@]} -eq 0 ] && exit 0
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${needed[@]}"
