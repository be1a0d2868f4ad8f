/* armvisor guest runtime: PASS/FAIL bookkeeping shared by the self-checking guests. */
#include "rt.h"

static volatile unsigned check_passed, check_failed;

void check2(const char *name, const char *suffix, u64 got, u64 want)
{
    if (got == want) {
        check_passed++;
        printf("PASS %s%s\n", name, suffix);
    } else {
        check_failed++;
        printf("FAIL %s%s got=0x%lx want=0x%lx\n", name, suffix, got, want);
    }
}

void check(const char *name, u64 got, u64 want)
{
    check2(name, "", got, want);
}

int check_report(void)
{
    printf("%u passed, %u failed\n", check_passed, check_failed);
    return check_failed != 0;
}
