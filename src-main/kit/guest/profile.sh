# PMEM Lab guest /etc/profile, read by the boot's login shell on ttyS0 (init's last step) just before its first
# prompt. Opening init's FIFO tells the agent that the modules are loaded and the shell is up, so the agent's
# first answer, and the boot checkpoint the lab saves on it, come with the prompt rather than before the shell
# starts. The agent then removes the FIFO: a later login shell finds none.
[ -p /run/pmem-lab-booted ] && : > /run/pmem-lab-booted
