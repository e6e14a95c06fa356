#ifndef COSTDEFENDER_CPU_FEATURES_H
#define COSTDEFENDER_CPU_FEATURES_H

/// Whether the CPU runs AVX2 (x86-64 only; 0 elsewhere). Asked once per process: a race between
/// threads only stores the same answer twice. Private to the kernels of this target.
int ck_cpu_has_avx2(void);

#endif
