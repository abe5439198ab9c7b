import vfs
print(vfs.rom_ioctl(3,0,0,4096), vfs.rom_ioctl(4,0,0,bytes(16)), vfs.rom_ioctl(5,0), bytes(memoryview(vfs.rom_ioctl(2,0))[:4]))