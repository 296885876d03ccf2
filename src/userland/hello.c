/* The smallest user program: a line on stdout, exit code 7. */
#include "sys.h"

int main(void) {
  print("hello from user mode\n");
  return 7;
}
