#!/usr/bin/env bash
# Installs the system tools the test suite runs for real (git, PostgreSQL server binaries,
# kubectl, ansible-core; terraform is expected on PATH) when they are missing and we may install them (root with apt).
# It is quiet when everything is present.
set -euo pipefail
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v zip >/dev/null 2>&1 || missing+=(zip)
# The web UI tests drive Debian's chromium through playwright-core (no browser download).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Kubernetes and Ansible stacks run the real kubectl and ansible-playbook. Some images ship a
# kubectl of their own, which Debian's kubernetes-client would conflict with: check PATH first.
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
command -v ansible-playbook >/dev/null 2>&1 || missing+=(ansible-core)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing system packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing system tools: ${missing[*]} (install them with your package manager)" >&2
    exit 1
  fi
fi
if ! command -v terraform >/dev/null 2>&1; then
  echo "terraform is not on PATH: the run-engine and provider tests need the real binary" >&2
  exit 1
fi
