import vfs
dev=vfs.rom_ioctl(2,1)
dev.writeblocks(1,b'abcd'*4,0)
b=bytearray(8)
dev.readblocks(1,b)
print(b)