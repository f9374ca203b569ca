#!/usr/bin/env bash
# Builds the e2e control plane (kube-apiserver + embedded etcd, test/e2e/controlplane)
# or reuses a cached build, and prints the binary's path as the last line on stdout.
#
# The binary is cached outside the clone, keyed by go.sum, go.mod, the Go sources and
# the Go version: ${CSI_TOP_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/csi-top/e2e}/<key>/controlplane
# Only the first run on a machine pays for the module download and the compile; the three
# newest builds are kept.
#
#   bash test/e2e/build.sh            build or reuse; progress and timing on stderr
#   bash test/e2e/build.sh --check    print the path if cached, else exit 3 (never builds)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/controlplane"

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then
    PATH="/usr/local/go/bin:$PATH"
  else
    echo "test/e2e/build.sh: Go is not installed (no 'go' on PATH or in /usr/local/go/bin)." >&2
    echo "The e2e tests run a real kube-apiserver built from Go modules; install Go >= 1.25" >&2
    echo "(https://go.dev/dl/) with access to the Go module proxy, then run 'npm run test:e2e' again." >&2
    exit 1
  fi
fi

goversion="$(go env GOVERSION GOOS GOARCH | tr '\n' ' ')"
key="$( { printf '%s\n' "$goversion"; cat "$src/go.sum" "$src/go.mod" "$src"/*.go; } | sha256sum | cut -c1-16)"
cache_root="${CSI_TOP_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/csi-top/e2e}"
out_dir="$cache_root/$key"
bin="$out_dir/controlplane"

if [ -x "$bin" ]; then
  echo "e2e control plane: cached $bin" >&2
  echo "$bin"
  exit 0
fi
if [ "${1:-}" = "--check" ]; then
  echo "e2e control plane: not built yet (run: bash test/e2e/build.sh)" >&2
  exit 3
fi

k8s_version="$(awk '$1 == "require" && $2 == "k8s.io/kubernetes" { print $3 } $1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2 }' "$src/go.mod" | head -n1)"
if [ -z "$k8s_version" ]; then
  echo "test/e2e/build.sh: cannot find the k8s.io/kubernetes version in $src/go.mod" >&2
  exit 1
fi
major="${k8s_version#v}"; major="${major%%.*}"
minor="${k8s_version#v*.}"; minor="${minor%%.*}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags="$ldflags -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done

mkdir -p "$out_dir"
tmp="$(mktemp "$out_dir/.controlplane.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
echo "e2e control plane: building kube-apiserver $k8s_version + etcd from Go modules ($(go env GOVERSION)); the first build on a machine takes several minutes" >&2
start=$(date +%s)
(
  cd "$src"
  # -mod=readonly: go.sum is committed; a build never edits it.
  GOFLAGS="${GOFLAGS:-} -mod=readonly" nice -n 10 go build -trimpath -ldflags="$ldflags" -o "$tmp" .
)
chmod +x "$tmp"
mv -f "$tmp" "$bin"
trap - EXIT
echo "e2e control plane: built $bin in $(( $(date +%s) - start ))s" >&2
# Keep the three newest builds (other clones may use other go.sum); each is ~100 MB.
ls -1dt "$cache_root"/*/ 2>/dev/null | tail -n +4 | while read -r old; do rm -rf "$old"; done
echo "$bin"
