// fake_demo.c - a stand-in for pagefault_demo.exe, used only by the test
// suite (tests/build_bat.sh), so that build.bat's --tour and --compare
// checks are seen to fail on output alone: every run exits 0, --tour
// reports a rule NOT as documented (and still claims "9 of 9"), or, with
// the environment variable FAKE_TOUR=count, no such rule but "9 of 10",
// and --compare --csv counts 15 faults where 16 pages were touched.

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Prints the wrong output for --tour or --compare; nothing otherwise. Returns 0.
int main(int argc, char *argv[])
{
    const char *tour = getenv("FAKE_TOUR");

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
