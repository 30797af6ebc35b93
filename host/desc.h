/* The host's GDT, IDT and TSS (desc.c). */
#ifndef HOST_DESC_H
#define HOST_DESC_H
#include <stdint.h>

#define HOST_CS 0x08      /* 64-bit code */
#define HOST_DS 0x10
#define HOST_TR 0x18      /* 64-bit TSS: a 16-byte descriptor, two slots */

void host_tables_init(void);
uint64_t host_gdt_base(void);
uint64_t host_idt_base(void);
uint64_t host_tss_base(void);
#endif
