import Storage
print("lake-stress: not implemented yet")
