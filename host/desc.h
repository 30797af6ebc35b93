/* The host's GDT, IDT and TSS (desc.c). */
#ifndef HOST_DESC_H
#define HOST_DESC_H
#include <stdint.h>

#define HOST_CS 0x08
#define HOST_DS 0x10
#define HOST_TR 0x18

void host_tables_init(void);
uint32_t host_gdt_base(void);
uint32_t host_idt_base(void);
uint32_t host_tss_base(void);
#endif
