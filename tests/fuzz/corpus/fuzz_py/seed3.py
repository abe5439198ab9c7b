import vfs
try:
 vfs.umount('/rom')
except:
 pass