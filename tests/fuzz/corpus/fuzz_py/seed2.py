dev=vfs.rom_ioctl(2,0)
print(repr(isinstance(dev,int) and dev<0))