import StateSpaceLab
print("sslab")
