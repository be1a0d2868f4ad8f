/*
 * isa: self-checking tests of the A64 base integer instruction groups.
 * Prints "PASS <name>" / "FAIL <name> got=0x.. want=0x.." per check, then
 * "N passed, M failed"; exits with status (M != 0).
 * Needs EL1 or higher (LDTR/STTR, TPIDR_EL1, SP_EL0, DAIF); meant for EL1.
 */
#include "check.h"

int main(void)
{
    printf("isa guest at EL%u\n", current_el());
    test_alu();
    test_branch();
    test_mem();
    test_atomic();
    test_system();
    return check_report();
}
