"""One-row prediction with FastAPI, as uvicorn serves it: uvicorn fastapi_server:app"""
from fastapi import FastAPI
from pydantic import BaseModel, conlist

from iris_model import answer, load

app = FastAPI()
model = load()


class Row(BaseModel):
    features: conlist(float, min_items=4, max_items=4)


@app.get("/ready")
def ready():
    return {"status": "ready"}


@app.post("/predict")
def predict(row: Row):
    return answer(model, row.features)
