#!/usr/bin/env bash
# Install the Debian packages callcoach needs, only those missing. Usage: system-packages.sh run|test
set -euo pipefail
run_packages=(python3-venv fonts-dejavu-core espeak-ng festival festvox-ru festvox-us-slt-hts festvox-kallpc16k sox ffmpeg libsndfile1)
test_packages=(postgresql chromium)
packages=("${run_packages[@]}")
[ "${1:-run}" = test ] && packages+=("${test_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "error[E002]: Debian packages are missing: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${missing[@]}"
