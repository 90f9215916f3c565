from audit.launch import main

main()
