/* rootfs.h - choosing the root file system at boot (root=, see rootfs.c). */
#ifndef KERNEL_FS_ROOTFS_H
#define KERNEL_FS_ROOTFS_H

struct inode;

/* The root inode of the ext2 on the disk root= names (default vda), mounted;
 * NULL when the initrd is to be the root (root=initrd, no disk, or no ext2 on it). */
struct inode *rootfs_mount_disk(void);

#endif
