"""``python -m buurtpreventie.synthetic``: write the synthetic exports."""

from buurtpreventie.synthetic.generate import main

main()
