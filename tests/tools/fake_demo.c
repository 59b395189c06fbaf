// fake_demo.c - a stand-in for pagefault_demo.exe, used only by the test
// suite (tests/build_bat.sh), so that build.bat's checks are seen to fail
// on output alone, and its verdicts are seen for each kind of --selftest.
//
// Alone it is a wrong program: every run exits 0, --tour reports a rule
// NOT as documented (and still claims "9 of 9"), or, with the environment
// variable FAKE_TOUR=count, no such rule but "9 of 10"; --compare --csv
// counts 15 faults where 16 pages were touched; --selftest reports a
// failed check and exits 11.
//
// With FAKE_DEMO_REAL set to the Windows path of a real pagefault_demo.exe,
// it runs that for everything but --selftest (same arguments, same stdout,
// its exit code), and --selftest passes. FAKE_SELFTEST chooses another
// --selftest in either mode: "pass" (TAP, exit 0), "fail" (a "not ok"
// line, exit 11), "crash" (one stderr line, exit 13), "notap" (exit 0 and
// nothing on stdout), "notok0" (a "not ok" line, yet exit 0), "nostart"
// (exit 11, a check whose child Wine did not start: CreateProcess error
// 1359, which the suite runs once more).

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <process.h>

// Prints a --selftest as MODE says. Returns its exit code.
static int FakeSelftest(const char *mode)
{
    if (strcmp(mode, "crash") == 0)
    {
        fprintf(stderr, "pagefault_demo: crashed: exception 0xC0000005 (fake)\n");
        return 13;
    }
    if (strcmp(mode, "notap") == 0)
        return 0;
    printf("TAP version 14\n# fake_demo --selftest (%s)\n1..2\nok 1 - documented run\n", mode);
    if (strcmp(mode, "pass") == 0)
    {
        printf("ok 2 - scenario overrun\n");
        return 0;
    }
    printf("not ok 2 - scenario overrun\n  ---\n  message: %s\n  ...\n", strcmp(mode, "nostart") == 0
           ? "\"CreateProcess failed with error code of 1359\"" : "fake failure");
    return strcmp(mode, "notok0") == 0 ? 0 : 11;
}

// Runs the real program REAL with this program's arguments; returns its
// exit code, or 1 (with a message) when it cannot be started.
static int RunReal(const char *real, char *argv[])
{
    static char quoted[1024];
    intptr_t rc;

    // _spawnv joins the arguments with spaces: the path goes in quotes.
    snprintf(quoted, sizeof quoted, "\"%s\"", real);
    argv[0] = quoted;
    fflush(stdout);
    rc = _spawnv(_P_WAIT, real, (const char *const *)argv);
    if (rc == -1)
    {
        fprintf(stderr, "fake_demo: cannot run %s\n", real);
        return 1;
    }
    return (int)rc;
}

// Prints the wrong output for --tour, --compare or --selftest, or runs the
// real program. Returns the exit code described above.
int main(int argc, char *argv[])
{
    const char *tour = getenv("FAKE_TOUR");
    const char *real = getenv("FAKE_DEMO_REAL");
    const char *selftest = getenv("FAKE_SELFTEST");

    if (real != NULL && *real == '\0')
        real = NULL;
    if (selftest == NULL || *selftest == '\0')
        selftest = real != NULL ? "pass" : "fail";
    if (argc >= 2 && strcmp(argv[1], "--selftest") == 0)
        return FakeSelftest(selftest);
    if (real != NULL)
        return RunReal(real, argv);
    if (argc >= 2 && strcmp(argv[1], "--tour") == 0 && tour != NULL && strcmp(tour, "count") == 0)
        printf("Rule 1: a fake rule\n  => as documented\n\n9 of 10 rules as documented.\n");
    else if (argc >= 2 && strcmp(argv[1], "--tour") == 0)
        printf("Rule 1: a fake rule\n  => NOT as documented\n\n9 of 9 rules as documented.\n");
    else if (argc >= 2 && strcmp(argv[1], "--compare") == 0)
        printf("way,pages,stride,touched,reps,us_per_page_median,us_per_page_min,us_per_page_max,"
               "ratio_to_up_front,committed_kib,commit_charge_kib,faults,values_ok\n"
               "on-demand,64,4,16,3,1.0,1.0,1.0,1.00,64,0,15,yes\n"
               "up-front,64,4,16,3,1.0,1.0,1.0,1.00,256,0,0,yes\n"
               "explicit,64,4,16,3,1.0,1.0,1.0,1.00,64,0,0,yes\n");
    return 0;
}
