int main(void) { return 1; } /* placeholder until the child lands */
