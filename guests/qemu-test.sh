#!/usr/bin/env bash
# Run every guest under QEMU at the ELs it is meant for and check its output
# and exit status. Build first (make). Prints one PASS/FAIL line per run and a
# final "N passed, M failed"; exits non-zero if anything failed.
#   QEMU=qemu-system-aarch64 QEMU_TIMEOUT=30 ./qemu-test.sh
set -u
cd "$(dirname "$0")"
QEMU=${QEMU:-qemu-system-aarch64}
T=${QEMU_TIMEOUT:-30}
EL1="-M virt"
EL2="-M virt,virtualization=on"
EL3="-M virt,secure=on,virtualization=on"
pass=0
fail=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT

run() { # run MACHINE GUEST -> sets rc, output in $out
    timeout "$T" $QEMU $1 -cpu max -nographic -semihosting -kernel "build/$2.elf" >"$out" 2>&1
    rc=$?
}
result() { # result NAME OK(0/1) DETAIL
    if [ "$2" = 1 ]; then
        echo "PASS $1"; pass=$((pass + 1))
    else
        echo "FAIL $1 ($3)"; fail=$((fail + 1))
    fi
}

for el in 1 2 3; do
    m=EL$el
    run "${!m}" hello
    ok=0
    [ $rc = 0 ] && [ "$(cat "$out")" = "Hello from armvisor guest at EL$el" ] && ok=1
    result "hello_el$el" $ok "rc=$rc output=$(head -c 200 "$out")"
done

selfcheck() { # selfcheck NAME MACHINE GUEST
    run "$2" "$3"
    local last ok=0
    last=$(tail -n 1 "$out")
    [ $rc = 0 ] && [[ "$last" =~ ^[0-9]+\ passed,\ 0\ failed$ ]] && ! grep -q '^FAIL' "$out" && ok=1
    result "$1" $ok "rc=$rc last='$last' $(grep -m3 '^FAIL' "$out" | tr '\n' ' ')"
    [ $ok = 1 ] && echo "    $last"
}
selfcheck isa_el1 "$EL1" isa
selfcheck isa_el2 "$EL2" isa
selfcheck exceptions_el3 "$EL3" exceptions
selfcheck vgic_el2 "$EL2,gic-version=3" vgic
selfcheck vhe_el2 "$EL2" vhe

# el2-traps on the Armv8.0 CPU it checks (cortex-a57), booted at EL2 and at EL3.
for el in 2 3; do
    m=EL$el
    timeout "$T" $QEMU ${!m} -cpu cortex-a57 -nographic -semihosting -kernel build/el2-traps.elf >"$out" 2>&1
    rc=$?
    last=$(tail -n 1 "$out")
    ok=0
    [ $rc = 0 ] && [[ "$last" =~ ^checks=[0-9]+\ failures=0$ ]] && ! grep -q '^FAIL' "$out" && ok=1
    result "el2-traps_el$el" $ok "rc=$rc last='$last' $(grep -m3 '^FAIL' "$out" | tr '\n' ' ')"
    [ $ok = 1 ] && echo "    $last"
done

# type1: two guests under a hypervisor at EL2, with the GICv3 (cortex-a57).
timeout "$T" $QEMU $EL2,gic-version=3 -cpu cortex-a57 -nographic -semihosting -kernel build/type1.elf >"$out" 2>&1
rc=$?
last=$(tail -n 1 "$out")
ok=0
[ $rc = 0 ] && [[ "$last" =~ ^type1:\ checks=[0-9]+\ failures=0$ ]] && ! grep -q 'FAIL' "$out" && ok=1
result type1_el2 $ok "rc=$rc last='$last' $(grep -m3 'FAIL' "$out" | tr '\n' ' ')"
[ $ok = 1 ] && echo "    $last"

start=$(date +%s%N)
run "$EL1" mips
end=$(date +%s%N)
ok=0
grep -qE '^mips checksum 0x[0-9a-f]{16}$' "$out" && grep -qx 'mips done' "$out" && [ $rc = 0 ] && ok=1
result mips_el1 $ok "rc=$rc output=$(head -c 200 "$out")"
[ $ok = 1 ] && echo "    $(grep checksum "$out"), $(awk -v ns=$((end - start)) 'BEGIN { printf "%.2f", ns / 1e9 }') s"

echo "$pass passed, $fail failed"
[ $fail = 0 ]
