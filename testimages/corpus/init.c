/*
 * The corpus initramfs's /init (testimages/corpus/build.sh links it with
 * gcc -static; libc6-dev's libc.a).  It is the Linux entries' success
 * marker: reaching it means the kernel booted all the way to user space.
 *
 *   1. print MARKER on /dev/console (the kernel opened it as fds 0-2) and on
 *      COM1 (/dev/ttyS0) -- once only when the console *is* ttyS0, as with
 *      the corpus's console=ttyS0, so the serial log holds one line;
 *   2. drain both ttys (tcdrain = TCSBRK 1): power-off must not cut the
 *      line off in the UART's FIFO;
 *   3. power off (reboot(RB_POWER_OFF)): QEMU exits (ACPI S5), Bochs ends
 *      with its "ACPI control: soft power off" panic.  If that fails, say so
 *      and sleep: returning from init would panic the kernel, and a
 *      panic=-1 reboot would boot the image again.
 *
 * No stdio: write(2) and a fixed buffer keep the program small and its
 * behaviour obvious.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <termios.h>
#include <unistd.h>

#define MARKER "rmtramp-corpus: init reached"

static void put(int fd, const char *s)
{
	size_t n = strlen(s);
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* The console's underlying tty: TIOCGDEV gives its device number. */
static int console_is_ttyS0(int fd)
{
	unsigned int dev;
	return ioctl(fd, TIOCGDEV, &dev) == 0 && major(dev) == 4 && minor(dev) == 64;
}

int main(void)
{
	char line[256];
	struct utsname u;
	int con, com1 = -1;

	strcpy(line, MARKER);
	if (uname(&u) == 0 && strlen(u.release) < 100) {
		strcat(line, " (Linux ");
		strcat(line, u.release);
		strcat(line, ")");
	}
	strcat(line, "\r\n");

	con = open("/dev/console", O_WRONLY | O_NOCTTY);
	if (con < 0)
		con = 1;        /* the kernel's fd 1, if it could open a console */
	put(con, line);
	if (!console_is_ttyS0(con)) {
		com1 = open("/dev/ttyS0", O_WRONLY | O_NOCTTY);
		if (com1 >= 0)
			put(com1, line);
	}
	tcdrain(con);
	if (com1 >= 0)
		tcdrain(com1);

	sync();
	reboot(RB_POWER_OFF);
	put(con, "rmtramp-corpus: power-off failed\r\n");
	for (;;)
		pause();
}
