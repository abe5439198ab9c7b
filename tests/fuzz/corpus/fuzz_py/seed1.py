import vfs
print(repr(hasattr(vfs,'rom_ioctl')))