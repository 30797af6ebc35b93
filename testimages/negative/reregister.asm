; A guest poses as a blob: it writes a well-formed header, a vCPU context and
; a hypercall stub into its own memory at 2 MiB, registers that with CPUID
; 0x40000001 as the blob does at its cold entry, and calls the stub.  The
; host accepts one registration — the real blob's, before any guest code ran
; (docs/abi.md §3) — so it must refuse this one and then the hypercall,
; naming CS:EIP, and stop.  Were it to accept, the guest's own code would be
; trusted as the blob: the hypercall would print and the guest would spin.
%include "negative/common.inc"
FAKE equ 0x200000
	cli
	ENTER_PM32 pm
	bits 32
pm:	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov edi, FAKE                           ; 8 KiB of zeros for the image
	xor eax, eax
	mov ecx, 0x800
	rep stosd
	mov dword [FAKE + 8], 0x504d5452        ; magic 'RTMP'
	mov word [FAKE + 12], 1                 ; abi_version
	mov word [FAKE + 14], 60                ; header_size
	mov dword [FAKE + 16], FAKE             ; load_addr
	mov dword [FAKE + 20], 0x2000           ; image_size
	mov dword [FAKE + 24], 0x2000           ; mem_size
	mov dword [FAKE + 40], FAKE + 0x1000    ; context_base
	mov dword [FAKE + 44], 0x400            ; context_stride (a context is 596 bytes)
	mov dword [FAKE + 48], 1                ; max_vcpus
	mov dword [FAKE + 52], FAKE + 0x100     ; hypercall_stub
	mov dword [FAKE + 0x1000], 0x58435452   ; context magic 'RTCX'
	mov dword [FAKE + 0x1000 + 464], 1      ; context.ready
	; the stub as the guest writes it: VMCALL on Intel, VMMCALL on AMD; RET
	xor eax, eax
	cpuid
	mov edx, 0xc3c1010f                     ; 0F 01 C1 C3
	cmp ebx, 'Genu'
	je .stub
	mov edx, 0xc3d9010f                     ; 0F 01 D9 C3
.stub:	mov [FAKE + 0x100], edx
	mov eax, 0x40000001                     ; RMT_CPUID_REGISTER
	mov ebx, FAKE
	xor ecx, ecx
	cpuid
	mov eax, 3                              ; RMT_HC_CONSOLE "RTMP"
	mov ebx, FAKE + 8
	mov ecx, 4
	call FAKE + 0x100
	jmp $
	NEG_GDT
