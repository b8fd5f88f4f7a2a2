"""Pure rules of the trade: scenarios, the simulated call, the ladder and progress.

No database, no Streamlit.
"""
