for i in range(3):
 if i%2==0:
  print([x*2 for x in range(i)])
 else:
  print(i, 'odd')