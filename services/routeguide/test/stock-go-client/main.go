// A RouteGuide client built only from the canonical generated Go stubs
// (google.golang.org/grpc/examples/route_guide/routeguide): proves wire compatibility.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pb "google.golang.org/grpc/examples/route_guide/routeguide"
)

func main() {
	conn, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	must(err)
	defer conn.Close()
	c := pb.NewRouteGuideClient(conn)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	f, err := c.GetFeature(ctx, &pb.Point{Latitude: 406892490, Longitude: -740445000})
	must(err)
	fmt.Printf("GetFeature: %q\n", f.GetName())
	s, err := c.ListFeatures(ctx, &pb.Rectangle{Lo: &pb.Point{Latitude: 400000000, Longitude: -750000000}, Hi: &pb.Point{Latitude: 420000000, Longitude: -730000000}})
	must(err)
	n := 0
	for {
		_, err := s.Recv()
		if err == io.EOF {
			break
		}
		must(err)
		n++
	}
	fmt.Printf("ListFeatures: %d\n", n)
	r, err := c.RecordRoute(ctx)
	must(err)
	must(r.Send(&pb.Point{Latitude: 406892490, Longitude: -740445000}))
	must(r.Send(&pb.Point{Latitude: 407484410, Longitude: -739856640}))
	sum, err := r.CloseAndRecv()
	must(err)
	fmt.Printf("RecordRoute: points=%d features=%d distance=%d\n", sum.GetPointCount(), sum.GetFeatureCount(), sum.GetDistance())
	ch, err := c.RouteChat(ctx)
	must(err)
	for _, m := range []string{"a", "b"} {
		must(ch.Send(&pb.RouteNote{Location: &pb.Point{Latitude: 77, Longitude: 77}, Message: m}))
	}
	must(ch.CloseSend())
	got := 0
	for {
		_, err := ch.Recv()
		if err == io.EOF {
			break
		}
		must(err)
		got++
	}
	fmt.Printf("RouteChat: %d replayed\n", got)
	_, err = c.GetFeature(ctx, &pb.Point{Latitude: 999999999})
	fmt.Printf("bad input: %v\n", err)
}

func must(err error) {
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
}
